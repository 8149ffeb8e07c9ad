package dev.kluster.boot.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import org.jspecify.annotations.Nullable;

import org.springframework.core.codec.CodecException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import dev.kluster.boot.error.KlusterConnectionException;
import dev.kluster.boot.error.KlusterException;
import dev.kluster.boot.error.KlusterInvalidResponseException;
import dev.kluster.boot.error.KlusterRateLimitException;
import dev.kluster.boot.error.KlusterRedaction;
import dev.kluster.boot.error.KlusterResponseTooLargeException;
import dev.kluster.boot.error.KlusterServerException;
import dev.kluster.boot.error.KlusterTimeoutException;

/**
 * Turns what a {@code WebClient} call can fail with (Reactor timeouts, Netty and codec
 * exceptions) into the {@link KlusterException} types, so that no client lets a
 * library's exception reach its callers; and the one rule of which of those failures
 * may pass when the call is sent again, for the chat client's retries and the batch
 * client's polls alike.
 *
 * @since 0.1.0
 */
public final class KlusterFailures {

	private KlusterFailures() {
	}

	/**
	 * Translate a failure, redacting bearer tokens from the messages it quotes.
	 * @param ex the failure
	 * @param timeoutProperty property whose limit a Reactor timeout stands for
	 * @param timeout that limit
	 * @param connectTimeout the configured connect timeout, or {@code null} when the
	 * connector's own applies
	 * @return a {@link KlusterException}; {@code ex} itself when it already is one or is an
	 * {@link Error}
	 */
	public static Throwable translate(Throwable ex, String timeoutProperty, Duration timeout,
			@Nullable Duration connectTimeout) {
		return translate(ex, timeoutProperty, timeout, connectTimeout, KlusterRedaction.bearerTokens());
	}

	/**
	 * Translate a failure. The messages of its causes may quote what the server sent, so
	 * the message of the translation and the cause it keeps are redacted.
	 * @param ex the failure
	 * @param timeoutProperty property whose limit a Reactor timeout stands for
	 * @param timeout that limit
	 * @param connectTimeout the configured connect timeout, or {@code null} when the
	 * connector's own applies
	 * @param redaction what is removed from the messages of the causes
	 * @return a {@link KlusterException}; {@code ex} itself when it already is one; an
	 * {@link Error} in {@code ex} or its causes, which is never wrapped
	 */
	public static Throwable translate(Throwable ex, String timeoutProperty, Duration timeout,
			@Nullable Duration connectTimeout, KlusterRedaction redaction) {
		if (ex instanceof KlusterException) {
			return ex;
		}
		// WebClient wraps whatever its connector fails with, an OutOfMemoryError for direct
		// memory included, into a WebClientRequestException: the Error is what to pass on.
		Throwable error = cause(ex, Error.class);
		if (error != null) {
			return error;
		}
		if (ex instanceof TimeoutException) {
			return new KlusterTimeoutException(timeoutProperty, timeout, ex);
		}
		Throwable cause = redaction.redact(ex);
		Throwable tooLarge = cause(ex, DataBufferLimitException.class);
		if (tooLarge != null) {
			return new KlusterResponseTooLargeException(rootMessage(tooLarge, redaction), cause);
		}
		if (isConnectTimeout(ex)) {
			return new KlusterTimeoutException("Could not connect to kluster.ai within "
					+ ((connectTimeout != null) ? connectTimeout : "the connector's connect timeout") + " ("
					+ KlusterTimeouts.CONNECT_TIMEOUT_PROPERTY + ")", KlusterTimeouts.CONNECT_TIMEOUT_PROPERTY,
					(connectTimeout != null) ? connectTimeout : Duration.ZERO, cause);
		}
		if (isHttpDecoderFailure(ex)) {
			return new KlusterInvalidResponseException(
					"kluster.ai's answer is not valid HTTP: " + rootMessage(ex, redaction), cause);
		}
		// Failures of the connector's own, such as a refused redirect, reach the WebClient
		// while it sends the request, and it wraps them as a request failure.
		if (ex instanceof WebClientRequestException && ex.getCause() instanceof KlusterException own) {
			return own;
		}
		if (ex instanceof WebClientRequestException requestException) {
			return new KlusterConnectionException("Could not reach kluster.ai at " + requestException.getUri() + ": "
					+ rootMessage(requestException, redaction), cause);
		}
		if (cause(ex, IOException.class) != null) {
			return new KlusterConnectionException("The connection to kluster.ai broke: " + rootMessage(ex, redaction),
					cause);
		}
		if (ex instanceof CodecException) {
			return new KlusterInvalidResponseException(
					"Could not read kluster.ai's answer: " + rootMessage(ex, redaction), cause);
		}
		return new KlusterException("Call to kluster.ai failed: " + rootMessage(ex, redaction), cause);
	}

	/**
	 * Whether a failure may pass when the call is sent again: HTTP 429, a 5xx answer other
	 * than 501 Not Implemented (which says the server does not do what was asked, however
	 * often it is asked), a connection failure, and a connect timeout, none of which had
	 * kluster.ai do any work. Any other timeout (waiting for an answer, or for a free slot
	 * of the concurrency limit) is transient only for a call that is cheap to repeat, such
	 * as a batch poll: repeating a chat completion that timed out would pay twice for a
	 * slow generation and most likely time out again. Other 4xx answers, validation
	 * failures and answers that cannot be read are never transient, nor is anything that
	 * is not a {@link KlusterException}.
	 * @param failure the failure of an attempt, translated
	 * @param cheapToRepeat whether the call costs kluster.ai next to nothing, as a
	 * {@code GET} of a batch does, so that a timeout may be tried again
	 * @return whether to send the call again
	 */
	public static boolean isTransient(Throwable failure, boolean cheapToRepeat) {
		if (failure instanceof KlusterRateLimitException || failure instanceof KlusterConnectionException) {
			return true;
		}
		if (failure instanceof KlusterServerException server) {
			return server.statusCode() != 501;
		}
		if (failure instanceof KlusterTimeoutException timeout) {
			return cheapToRepeat || KlusterTimeouts.CONNECT_TIMEOUT_PROPERTY.equals(timeout.limit());
		}
		return false;
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

	/**
	 * Whether the HTTP client's decoder refused what the server sent: a header over the
	 * client's limit, a status line or chunk framing that is not HTTP. The server answered,
	 * so this is not a connection failure. Netty reports these with the exception its
	 * decoder met (a {@code DecoderException}, or an {@code IllegalArgumentException} or
	 * {@code NumberFormatException} from parsing), so they are recognised by the type name
	 * and, for the parse failures, by Netty's HTTP codec in their stack trace; matched by
	 * name so that Netty need not be on the class path. TLS failures, which Netty also
	 * wraps in a {@code DecoderException}, stay connection failures.
	 */
	private static boolean isHttpDecoderFailure(Throwable ex) {
		if (cause(ex, SSLException.class) != null) {
			return false;
		}
		Throwable root = root(ex);
		if (root instanceof IOException) {
			return false;
		}
		for (Throwable current = ex; current != null; current = current.getCause()) {
			for (Class<?> type = current.getClass(); type != null; type = type.getSuperclass()) {
				if (type.getName().equals("io.netty.handler.codec.DecoderException")) {
					return true;
				}
			}
			if (current.getCause() == current) {
				break;
			}
		}
		for (StackTraceElement frame : root.getStackTrace()) {
			String type = frame.getClassName();
			if (type.startsWith("io.netty.handler.codec.http.") && type.contains("Decoder")) {
				return true;
			}
		}
		return false;
	}

	private static Throwable root(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root;
	}

	private static String rootMessage(Throwable ex, KlusterRedaction redaction) {
		Throwable root = root(ex);
		String message = (root.getMessage() != null) ? redaction.redact(root.getMessage()) : null;
		return (message != null) ? message : root.getClass().getSimpleName();
	}

}
