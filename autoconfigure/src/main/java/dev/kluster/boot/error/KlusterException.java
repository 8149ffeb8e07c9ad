package dev.kluster.boot.error;

import org.jspecify.annotations.Nullable;

/**
 * Base of every exception the kluster.ai client fails with, so that one {@code catch} or
 * {@code onErrorResume(KlusterException.class, ...)} covers them all.
 *
 * @since 0.1.0
 */
public class KlusterException extends RuntimeException {

	// Set once by the retry that gives up on the call; the exception keeps its type so that
	// callers can still catch, say, KlusterRateLimitException.
	private volatile int attempts = 1;

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

	/**
	 * How many times the call was sent before it failed with this exception: 1 unless it
	 * was retried.
	 * @return the number of attempts, at least 1
	 */
	public int attempts() {
		return this.attempts;
	}

	/**
	 * Record how many attempts were made before the call failed for good. Called by the
	 * retry of the transport, which sees the attempts; not meant for applications.
	 * @param attempts the number of attempts, at least 1
	 */
	public void setAttempts(int attempts) {
		this.attempts = Math.max(1, attempts);
	}

	@Override
	public String getMessage() {
		String message = super.getMessage();
		return (this.attempts > 1) ? message + " (gave up after " + this.attempts + " attempts)" : message;
	}

}
