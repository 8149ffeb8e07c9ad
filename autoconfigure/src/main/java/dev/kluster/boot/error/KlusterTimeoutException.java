package dev.kluster.boot.error;

import java.time.Duration;

/**
 * An answer did not arrive within a configured limit.
 *
 * @since 0.1.0
 */
public class KlusterTimeoutException extends KlusterException {

	private final String limit;

	private final Duration timeout;

	/**
	 * Create the exception.
	 * @param limit name of the property that set the limit, for example
	 * {@code kluster.response-timeout}
	 * @param timeout the limit that was hit
	 * @param cause the underlying timeout
	 */
	public KlusterTimeoutException(String limit, Duration timeout, Throwable cause) {
		this("No answer from kluster.ai within " + timeout + " (" + limit + ")", limit, timeout, cause);
	}

	/**
	 * Create the exception with a message of its own.
	 * @param message what took too long
	 * @param limit name of the property that set the limit
	 * @param timeout the limit that was hit
	 * @param cause the underlying timeout
	 */
	public KlusterTimeoutException(String message, String limit, Duration timeout, Throwable cause) {
		super(message, cause);
		this.limit = limit;
		this.timeout = timeout;
	}

	/**
	 * Name of the property whose limit was hit.
	 * @return the property name
	 */
	public String limit() {
		return this.limit;
	}

	/**
	 * The limit that was hit.
	 * @return the duration
	 */
	public Duration timeout() {
		return this.timeout;
	}

}
