package dev.kluster.boot.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectWriter;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

import dev.kluster.boot.error.KlusterException;
import dev.kluster.boot.error.KlusterRedaction;
import dev.kluster.boot.error.KlusterTimeoutException;
import dev.kluster.boot.transport.HttpErrorMapper;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterFailures;
import dev.kluster.boot.transport.KlusterRateLimit;
import dev.kluster.boot.transport.KlusterRetry;
import dev.kluster.boot.transport.KlusterTimeouts;

/**
 * How the clients of this package send a JSON request and wait for its answer: the body
 * written once by a bound writer, each attempt within the response timeout, the retry,
 * the total time limit, and every failure turned into a {@link KlusterException}. Chat
 * and embeddings differ in their types, not in this.
 */
final class KlusterCalls {

	private final KlusterTimeouts timeouts;

	private final KlusterRetry retry;

	private final HttpErrorMapper errorMapper;

	private final KlusterRedaction redaction;

	KlusterCalls(KlusterConnection connection, KlusterTimeouts timeouts, KlusterRetry retry) {
		this.timeouts = timeouts;
		this.retry = retry;
		this.errorMapper = connection.errorMapper();
		this.redaction = this.errorMapper.redaction();
	}

	KlusterRedaction redaction() {
		return this.redaction;
	}

	// The body is written by the request writer and the answer read from its buffers:
	// the codecs' per-call lookup of an encoder and a decoder, and their own copies, are
	// what a call would otherwise spend most of its CPU on.
	static WebClient.RequestHeadersSpec<?> post(WebClient webClient, URI uri, byte[] body, MediaType accept) {
		return webClient.post().uri(uri).contentType(MediaType.APPLICATION_JSON).accept(accept).body(bytes(body));
	}

	// As above, and tells the connection's rate limit, if any, whose budget the request
	// takes from and how many tokens it is estimated to use.
	static WebClient.RequestHeadersSpec<?> post(WebClient webClient, URI uri, byte[] body, MediaType accept,
			@Nullable KlusterRateLimit rateLimit, @Nullable String model, @Nullable Integer maxCompletionTokens) {
		WebClient.RequestHeadersSpec<?> spec = post(webClient, uri, body, accept);
		if (rateLimit != null) {
			spec = spec.attribute(KlusterRateLimit.MODEL_ATTRIBUTE, Objects.requireNonNullElse(model, ""))
				.attribute(KlusterRateLimit.TOKENS_ATTRIBUTE,
						KlusterRateLimit.estimateTokens(body.length, maxCompletionTokens));
		}
		return spec;
	}

	private static BodyInserter<byte[], ReactiveHttpOutputMessage> bytes(byte[] body) {
		return (message, context) -> {
			message.getHeaders().setContentLength(body.length);
			return message.writeWith(Mono.fromSupplier(() -> message.bufferFactory().wrap(body)));
		};
	}

	static byte[] write(ObjectWriter writer, Object request) {
		try {
			return writer.writeValueAsBytes(request);
		}
		catch (JacksonException ex) {
			throw new KlusterException("Could not write the request as JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	static boolean isNotAnswer(HttpStatusCode status) {
		return HttpErrorMapper.isFailure(status);
	}

	<T> Mono<T> failure(ClientResponse response) {
		return this.errorMapper.toException(response).flatMap(Mono::error);
	}

	// One attempt of a call that is not streamed: the whole answer within the response
	// timeout, each failure a KlusterException before the retry judges it.
	<T> Mono<T> attempt(Mono<T> exchange) {
		return once(exchange).retryWhen(this.retry);
	}

	<T> Mono<T> once(Mono<T> exchange) {
		Duration limit = this.timeouts.response();
		return exchange
			.timeout(limit,
					Mono.error(() -> new KlusterTimeoutException(KlusterTimeouts.RESPONSE_TIMEOUT_PROPERTY, limit,
							new TimeoutException())))
			.onErrorMap(this::translate);
	}

	<T> Mono<T> withinTotal(Mono<T> call) {
		Duration total = this.timeouts.total();
		return (total != null) ? call.timeout(total, Mono.error(() -> totalTimeout(total))) : call;
	}

	static KlusterTimeoutException totalTimeout(Duration total) {
		return new KlusterTimeoutException(KlusterTimeouts.TOTAL_TIMEOUT_PROPERTY, total, new TimeoutException());
	}

	Throwable translate(Throwable ex) {
		return KlusterFailures.translate(ex, KlusterTimeouts.RESPONSE_TIMEOUT_PROPERTY, this.timeouts.response(),
				this.timeouts.connect(), this.redaction);
	}

}
