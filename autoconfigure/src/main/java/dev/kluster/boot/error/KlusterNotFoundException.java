package dev.kluster.boot.error;

import org.jspecify.annotations.Nullable;

/**
 * HTTP 404 Not Found: the model, file or batch does not exist, or the base URL is wrong.
 *
 * @since 0.1.0
 */
public class KlusterNotFoundException extends KlusterApiException {

	/**
	 * Create the exception.
	 * @param statusCode the HTTP status code
	 * @param error what the error body said
	 * @param requestId the request id header, when sent
	 */
	public KlusterNotFoundException(int statusCode, ApiError error, @Nullable String requestId) {
		super(statusCode, error, requestId);
	}

}
