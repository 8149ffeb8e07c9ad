/**
 * The way to kluster.ai shared by every client: the {@code WebClient} with the base URL
 * and the authorization ({@link dev.kluster.boot.transport.KlusterConnection}), the mapping of
 * HTTP answers to typed errors, retries, the concurrency limit and time limits. Nothing
 * here depends on Spring Boot.
 */
@NullMarked
package dev.kluster.boot.transport;

import org.jspecify.annotations.NullMarked;
