package dev.kluster.boot.transport;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import dev.kluster.boot.error.KlusterTimeoutException;

/**
 * Time limits of a chat client's calls. Each limit that is hit fails the call with a
 * {@link KlusterTimeoutException} naming the property that set it. The connect timeout
 * is enforced by the HTTP connector; it is here to be named in errors.
 *
 * @param response longest wait for an answer to begin, per attempt: the whole answer of a
 * call that is not streamed, the first chunk of a stream
 * @param streamIdle longest silence of the server once a stream has begun: no bytes
 * arriving while the client reads; a slow subscriber does not count
 * @param total longest time of a whole call, retries, backoffs and waiting for a free
 * slot included (a stream's up to {@code data: [DONE]}), or {@code null} for no such
 * limit
 * @param connect the connect timeout set on the connector, or {@code null} when the
 * connector's own applies; only used to describe a connect timeout
 * @since 0.1.0
 */
public record KlusterTimeouts(Duration response, Duration streamIdle, @Nullable Duration total,
		@Nullable Duration connect) {

	/**
	 * The default of {@link #response()}, and of {@link #streamIdle()} when that is not
	 * set: 5 minutes ({@code kluster.response-timeout}).
	 */
	public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofMinutes(5);

	/** Property of the connect timeout. */
	public static final String CONNECT_TIMEOUT_PROPERTY = "kluster.connect-timeout";

	/** Property of {@link #response()}. */
	public static final String RESPONSE_TIMEOUT_PROPERTY = "kluster.response-timeout";

	/** Property of {@link #streamIdle()}. */
	public static final String STREAM_IDLE_TIMEOUT_PROPERTY = "kluster.stream-idle-timeout";

	/** Property of {@link #total()}. */
	public static final String TOTAL_TIMEOUT_PROPERTY = "kluster.total-timeout";

	/**
	 * Check the limits.
	 * @param response longest wait for an answer to begin
	 * @param streamIdle longest silence of the server once a stream has begun: no bytes
	 * arriving while the client reads
	 * @param total longest time of a whole call, or {@code null}
	 * @param connect the connector's connect timeout, or {@code null}
	 */
	public KlusterTimeouts {
		Assert.isTrue(!response.isNegative() && !response.isZero(), "response timeout must be positive");
		Assert.isTrue(!streamIdle.isNegative() && !streamIdle.isZero(), "stream idle timeout must be positive");
		Assert.isTrue(total == null || (!total.isNegative() && !total.isZero()), "total timeout must be positive");
	}

	/**
	 * The defaults of the auto-configuration: {@link #DEFAULT_RESPONSE_TIMEOUT} for the
	 * beginning of an answer and between chunks, no total limit, and the connector's own
	 * connect timeout.
	 * @return the timeouts
	 */
	public static KlusterTimeouts defaults() {
		return of(DEFAULT_RESPONSE_TIMEOUT);
	}

	/**
	 * One limit for the beginning of an answer and between chunks, and no total limit.
	 * @param response the limit
	 * @return the timeouts
	 */
	public static KlusterTimeouts of(Duration response) {
		return new KlusterTimeouts(response, response, null, null);
	}

}
