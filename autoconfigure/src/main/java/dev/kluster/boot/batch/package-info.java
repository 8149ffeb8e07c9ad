/**
 * kluster.ai's batch jobs as a reactive pipeline: {@link dev.kluster.boot.batch.KlusterBatchClient}
 * uploads a stream of requests as a JSON Lines file, runs it as a batch, follows its
 * status and reads its results back as a stream, with memory that does not grow with the
 * batch.
 */
@NullMarked
package dev.kluster.boot.batch;

import org.jspecify.annotations.NullMarked;
