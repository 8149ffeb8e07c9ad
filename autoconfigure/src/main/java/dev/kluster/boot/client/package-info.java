/**
 * The reactive kluster.ai chat client, built on Spring's {@code WebClient}: requests with
 * defaults, validation before sending, server-sent event streams. Nothing here depends on
 * Spring Boot.
 */
@NullMarked
package dev.kluster.boot.client;

import org.jspecify.annotations.NullMarked;
