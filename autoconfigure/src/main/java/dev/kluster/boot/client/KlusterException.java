package dev.kluster.boot.client;

import org.jspecify.annotations.Nullable;

/**
 * Base of every exception the kluster.ai client fails with, so that one {@code catch} or
 * {@code onErrorResume(KlusterException.class, ...)} covers them all.
 *
 * @since 0.1.0
 */
public class KlusterException extends RuntimeException {

	/**
	 * Create an exception.
	 * @param message what went wrong
	 */
	public KlusterException(String message) {
		super(message);
	}

	/**
	 * Create an exception with a cause.
	 * @param message what went wrong
	 * @param cause the underlying failure
	 */
	public KlusterException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
