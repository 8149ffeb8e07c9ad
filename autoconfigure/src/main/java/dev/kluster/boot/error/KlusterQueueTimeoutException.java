package dev.kluster.boot.error;

import java.time.Duration;

/**
 * A call waited longer than {@code kluster.max-queue-wait} for one of the
 * {@code kluster.max-concurrent-requests} slots and was not sent. Never retried: the
 * slots are full because this application is already using its plan's concurrency.
 *
 * @since 0.1.0
 */
public class KlusterQueueTimeoutException extends KlusterTimeoutException {

	/** Property of the limit this exception reports. */
	public static final String PROPERTY = "kluster.max-queue-wait";

	/**
	 * Create the exception.
	 * @param maxConcurrentRequests number of slots, all of which stayed taken
	 * @param timeout the wait that was exceeded
	 * @param cause the underlying timeout
	 */
	public KlusterQueueTimeoutException(int maxConcurrentRequests, Duration timeout, Throwable cause) {
		super("All " + maxConcurrentRequests + " slots of kluster.max-concurrent-requests stayed taken for "
				+ timeout + " (" + PROPERTY + "); the call was not sent", PROPERTY, timeout, cause);
	}

}
