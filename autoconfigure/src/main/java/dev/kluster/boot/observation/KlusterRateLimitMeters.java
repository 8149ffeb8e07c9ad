package dev.kluster.boot.observation;

import java.time.Duration;

/**
 * What the pacer of {@code kluster.rate-limit.*} reports for the meters of
 * {@link KlusterRateLimitMeterDocumentation}; {@link #NOOP} records nothing, and
 * {@link MicrometerRateLimitMeters} records them in a {@code MeterRegistry}. Free of
 * Micrometer's types, so that the transport runs without Micrometer on the class path.
 *
 * @since 0.1.0
 */
public interface KlusterRateLimitMeters {

	/** Budget tag of the requests-per-minute budget. */
	String REQUESTS = "requests";

	/** Budget tag of the tokens-per-minute budget. */
	String TOKENS = "tokens";

	/** Records nothing. */
	KlusterRateLimitMeters NOOP = new KlusterRateLimitMeters() {
	};

	/**
	 * A call was let through a budget after the given wait (zero when it waited not).
	 * @param budget {@link #REQUESTS} or {@link #TOKENS}
	 * @param wait how long it waited
	 */
	default void waited(String budget, Duration wait) {
	}

	/**
	 * A call was refused because it would have waited longer than the maximum wait.
	 * @param budget {@link #REQUESTS} or {@link #TOKENS}
	 */
	default void refused(String budget) {
	}

	/**
	 * The shared store did not answer in time or failed.
	 */
	default void storeFailed() {
	}

}
