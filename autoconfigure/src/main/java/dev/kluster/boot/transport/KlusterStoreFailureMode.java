package dev.kluster.boot.transport;

import java.time.Duration;

/**
 * What a request does when the store shared by the instances (Redis) does not answer in
 * time ({@code kluster.rate-limit.on-store-failure}).
 *
 * @since 0.1.0
 */
public enum KlusterStoreFailureMode {

	/**
	 * Count in this instance alone, as if it were the only one, until the store answers
	 * again: requests go on, possibly past the plan's limits while it lasts.
	 */
	LOCAL,

	/**
	 * Fail the request with a {@code KlusterRateLimitStoreException}, without sending it.
	 */
	FAIL;

	/** The default longest wait for the store, 1 second ({@code kluster.rate-limit.store-timeout}). */
	public static final Duration DEFAULT_STORE_TIMEOUT = Duration.ofSeconds(1);

}
