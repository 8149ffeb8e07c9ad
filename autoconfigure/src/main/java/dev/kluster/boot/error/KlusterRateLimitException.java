package dev.kluster.boot.error;

import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * HTTP 429 Too Many Requests: the plan's concurrency or requests-per-minute limit was
 * passed. Carries the server's {@code Retry-After} when it sent one.
 *
 * @since 0.1.0
 */
public class KlusterRateLimitException extends KlusterApiException {

	private final @Nullable Duration retryAfter;

	/**
	 * Create the exception.
	 * @param error what the error body said
	 * @param requestId the request id header, when sent
	 * @param retryAfter how long the server asked to wait, when it said
	 */
	public KlusterRateLimitException(ApiError error, @Nullable String requestId, @Nullable Duration retryAfter) {
		super(429, error, requestId);
		this.retryAfter = retryAfter;
	}

	/**
	 * How long the server asked to wait before the next request.
	 * @return the wait, empty when the answer had no usable {@code Retry-After}
	 */
	public Optional<Duration> retryAfter() {
		return Optional.ofNullable(this.retryAfter);
	}

}
