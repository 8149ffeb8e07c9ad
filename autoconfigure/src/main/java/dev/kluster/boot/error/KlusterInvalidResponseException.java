package dev.kluster.boot.error;

import org.jspecify.annotations.Nullable;

/**
 * kluster.ai answered with success but the answer could not be read: a body or stream
 * chunk that is not the expected JSON, an error reported inside a stream, or a stream that
 * ended before {@code data: [DONE]}.
 *
 * @since 0.1.0
 */
public class KlusterInvalidResponseException extends KlusterException {

	/**
	 * Create the exception.
	 * @param message what was wrong
	 * @param cause the parse failure, if any
	 */
	public KlusterInvalidResponseException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
