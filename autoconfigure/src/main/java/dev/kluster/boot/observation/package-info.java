/**
 * Observability of kluster.ai calls: the Micrometer {@code Observation} each call runs
 * in, named and tagged after the OpenTelemetry GenAI semantic conventions, and the meters
 * recorded from it. Nothing here depends on Spring Boot.
 */
@NullMarked
package dev.kluster.boot.observation;

import org.jspecify.annotations.NullMarked;
