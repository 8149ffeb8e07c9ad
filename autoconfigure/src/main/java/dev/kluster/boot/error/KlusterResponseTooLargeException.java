package dev.kluster.boot.error;

/**
 * An answer, or one event of a stream, was larger than {@code kluster.max-response-size}
 * and was dropped rather than held in memory. Never retried.
 *
 * @since 0.1.0
 */
public class KlusterResponseTooLargeException extends KlusterInvalidResponseException {

	/** Property of the limit this exception reports. */
	public static final String PROPERTY = "kluster.max-response-size";

	/**
	 * Create the exception.
	 * @param detail what the codec reported, such as the limit in bytes
	 * @param cause the underlying buffer limit failure
	 */
	public KlusterResponseTooLargeException(String detail, Throwable cause) {
		super("kluster.ai's answer is larger than " + PROPERTY + " allows: " + detail, cause);
	}

}
