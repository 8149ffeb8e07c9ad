package dev.kluster.boot.error;

import org.jspecify.annotations.Nullable;

/**
 * kluster.ai answered with an HTTP error. Keeps the status, the OpenAI-style error fields
 * when the body has them, and the request id to quote to kluster.ai support. Subclasses
 * name the common cases; other statuses arrive as this type.
 *
 * @since 0.1.0
 */
public class KlusterApiException extends KlusterException {

	private final int statusCode;

	private final ApiError error;

	private final @Nullable String requestId;

	/**
	 * Create an exception for an error answer.
	 * @param statusCode the HTTP status code
	 * @param error what the error body said
	 * @param requestId the request id header, when sent
	 */
	public KlusterApiException(int statusCode, ApiError error, @Nullable String requestId) {
		super(describe(statusCode, error, requestId));
		this.statusCode = statusCode;
		this.error = error;
		this.requestId = requestId;
	}

	private static String describe(int statusCode, ApiError error, @Nullable String requestId) {
		StringBuilder message = new StringBuilder("kluster.ai answered HTTP ").append(statusCode)
			.append(": ")
			.append(error.message());
		if (error.type() != null) {
			message.append(" [type=").append(error.type()).append(']');
		}
		if (error.param() != null) {
			message.append(" [param=").append(error.param()).append(']');
		}
		if (error.code() != null) {
			message.append(" [code=").append(error.code()).append(']');
		}
		if (requestId != null) {
			message.append(" [request id ").append(requestId).append(']');
		}
		return message.toString();
	}

	/**
	 * HTTP status code of the answer.
	 * @return the status code
	 */
	public int statusCode() {
		return this.statusCode;
	}

	/**
	 * What the error body said.
	 * @return the error details, never {@code null}
	 */
	public ApiError error() {
		return this.error;
	}

	/**
	 * Request id kluster.ai assigned ({@code x-request-id}), when it sent one.
	 * @return the request id, or {@code null}
	 */
	public @Nullable String requestId() {
		return this.requestId;
	}

}
