/**
 * The reactive kluster.ai client, built on Spring's {@code WebClient}, and the exceptions
 * it fails with. Nothing here depends on Spring Boot.
 */
@NullMarked
package dev.kluster.boot.client;

import org.jspecify.annotations.NullMarked;
