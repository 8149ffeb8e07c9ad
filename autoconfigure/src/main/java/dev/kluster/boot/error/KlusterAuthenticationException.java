package dev.kluster.boot.error;

import org.jspecify.annotations.Nullable;

/**
 * HTTP 401 Unauthorized: the API key is missing, wrong or revoked.
 *
 * @since 0.1.0
 */
public class KlusterAuthenticationException extends KlusterApiException {

	/**
	 * Create the exception.
	 * @param statusCode the HTTP status code
	 * @param error what the error body said
	 * @param requestId the request id header, when sent
	 */
	public KlusterAuthenticationException(int statusCode, ApiError error, @Nullable String requestId) {
		super(statusCode, error, requestId);
	}

}
