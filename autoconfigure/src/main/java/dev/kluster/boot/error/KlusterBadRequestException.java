package dev.kluster.boot.error;

import org.jspecify.annotations.Nullable;

/**
 * HTTP 400 Bad Request or 422 Unprocessable Entity: kluster.ai refused the request as invalid.
 *
 * @since 0.1.0
 */
public class KlusterBadRequestException extends KlusterApiException {

	/**
	 * Create the exception.
	 * @param statusCode the HTTP status code
	 * @param error what the error body said
	 * @param requestId the request id header, when sent
	 */
	public KlusterBadRequestException(int statusCode, ApiError error, @Nullable String requestId) {
		super(statusCode, error, requestId);
	}

}
