package dev.kluster.boot.error;

import org.jspecify.annotations.Nullable;

/**
 * HTTP 403 Forbidden: the API key may not use this model or endpoint.
 *
 * @since 0.1.0
 */
public class KlusterPermissionDeniedException extends KlusterApiException {

	/**
	 * Create the exception.
	 * @param statusCode the HTTP status code
	 * @param error what the error body said
	 * @param requestId the request id header, when sent
	 */
	public KlusterPermissionDeniedException(int statusCode, ApiError error, @Nullable String requestId) {
		super(statusCode, error, requestId);
	}

}
