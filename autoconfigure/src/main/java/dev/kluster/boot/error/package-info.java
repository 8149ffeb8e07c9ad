/**
 * The exceptions every kluster.ai call fails with, rooted in
 * {@link dev.kluster.boot.error.KlusterException}, and the redaction that keeps the API key
 * and bearer tokens out of their messages. Depends only on the model.
 */
@NullMarked
package dev.kluster.boot.error;

import org.jspecify.annotations.NullMarked;
