/**
 * Observability of the kluster.ai client: the Micrometer {@code Observation} each call
 * runs in, named and tagged after the OpenTelemetry GenAI semantic conventions, the meters
 * recorded from it, and an actuator health indicator.
 */
@NullMarked
package dev.kluster.boot.observation;

import org.jspecify.annotations.NullMarked;
