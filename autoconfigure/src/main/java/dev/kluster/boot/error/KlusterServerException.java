package dev.kluster.boot.error;

import org.jspecify.annotations.Nullable;

/**
 * HTTP 5xx: kluster.ai or a gateway in front of it failed.
 *
 * @since 0.1.0
 */
public class KlusterServerException extends KlusterApiException {

	/**
	 * Create the exception.
	 * @param statusCode the HTTP status code
	 * @param error what the error body said
	 * @param requestId the request id header, when sent
	 */
	public KlusterServerException(int statusCode, ApiError error, @Nullable String requestId) {
		super(statusCode, error, requestId);
	}

}
