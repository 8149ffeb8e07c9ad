package dev.kluster.boot.client;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import org.springframework.core.codec.CodecException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * Turns what a {@code WebClient} call can fail with (Reactor timeouts, Netty and codec
 * exceptions) into the {@link KlusterException} types, so that no client lets a
 * library's exception reach its callers.
 *
 * @since 0.1.0
 */
public final class KlusterFailures {

	private static final int MAX_EXCERPT = 200;

	private KlusterFailures() {
	}

	/**
	 * Translate a failure.
	 * @param ex the failure
	 * @param timeoutProperty property whose limit a Reactor timeout stands for
	 * @param timeout that limit
	 * @param connectTimeout the configured connect timeout, or {@code null} when the
	 * connector's own applies
	 * @return a {@link KlusterException}; {@code ex} itself when it already is one
	 */
	public static Throwable translate(Throwable ex, String timeoutProperty, Duration timeout,
			@Nullable Duration connectTimeout) {
		if (ex instanceof KlusterException) {
			return ex;
		}
		if (ex instanceof TimeoutException) {
			return new KlusterTimeoutException(timeoutProperty, timeout, ex);
		}
		Throwable tooLarge = cause(ex, DataBufferLimitException.class);
		if (tooLarge != null) {
			return new KlusterResponseTooLargeException(rootMessage(tooLarge), ex);
		}
		if (isConnectTimeout(ex)) {
			return new KlusterTimeoutException("Could not connect to kluster.ai within "
					+ ((connectTimeout != null) ? connectTimeout : "the connector's connect timeout") + " ("
					+ KlusterTimeouts.CONNECT_TIMEOUT_PROPERTY + ")", KlusterTimeouts.CONNECT_TIMEOUT_PROPERTY,
					(connectTimeout != null) ? connectTimeout : Duration.ZERO, ex);
		}
		// Failures of the connector's own, such as a refused redirect, reach the WebClient
		// while it sends the request, and it wraps them as a request failure.
		if (ex instanceof WebClientRequestException && ex.getCause() instanceof KlusterException own) {
			return own;
		}
		if (ex instanceof WebClientRequestException requestException) {
			return new KlusterConnectionException("Could not reach kluster.ai at " + requestException.getUri() + ": "
					+ rootMessage(requestException), requestException);
		}
		if (cause(ex, IOException.class) != null) {
			return new KlusterConnectionException("The connection to kluster.ai broke: " + rootMessage(ex), ex);
		}
		if (ex instanceof CodecException) {
			return new KlusterInvalidResponseException("Could not read kluster.ai's answer: " + rootMessage(ex), ex);
		}
		return new KlusterException("Call to kluster.ai failed: " + rootMessage(ex), ex);
	}

	/**
	 * The beginning of a text too long to quote whole in a message.
	 * @param text the text
	 * @return the text, shortened to 200 characters
	 */
	public static String excerpt(String text) {
		return (text.length() > MAX_EXCERPT) ? text.substring(0, MAX_EXCERPT) + "..." : text;
	}

	private static @Nullable Throwable cause(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (type.isInstance(current)) {
				return current;
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return null;
	}

	// Netty's ConnectTimeoutException and the JDK client's HttpConnectTimeoutException;
	// matched by name so that neither client has to be on the class path.
	private static boolean isConnectTimeout(Throwable ex) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (current.getClass().getSimpleName().endsWith("ConnectTimeoutException")) {
				return true;
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return false;
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

}
