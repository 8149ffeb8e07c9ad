package dev.kluster.boot.error;

import org.jspecify.annotations.Nullable;

/**
 * The store that shares the budgets of {@code kluster.rate-limit.*} between instances
 * (Redis) did not answer, and {@code kluster.rate-limit.on-store-failure} is
 * {@code fail}: the call was not sent rather than sent past a budget nobody counted.
 *
 * @since 0.1.0
 */
public class KlusterRateLimitStoreException extends KlusterException {

	/**
	 * Create the exception.
	 * @param message what could not be done
	 * @param cause why, may be {@code null}
	 */
	public KlusterRateLimitStoreException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
