package dev.kluster.boot.error;

/**
 * kluster.ai could not be reached, or the connection broke before an answer arrived.
 *
 * @since 0.1.0
 */
public class KlusterConnectionException extends KlusterException {

	/**
	 * Create the exception.
	 * @param message what failed
	 * @param cause the network failure
	 */
	public KlusterConnectionException(String message, Throwable cause) {
		super(message, cause);
	}

}
