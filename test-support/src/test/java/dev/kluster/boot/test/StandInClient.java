package dev.kluster.boot.test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufMono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain Reactor Netty caller of the stand-in, so that its tests depend on nothing but
 * HTTP.
 */
final class StandInClient {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client;

	StandInClient(String baseUrl) {
		// A new connection per request: faults close connections, which must not leak
		// into the next request through a pool.
		this.client = HttpClient.create(ConnectionProvider.newConnection()).baseUrl(baseUrl).responseTimeout(TIMEOUT);
	}

	Reply get(String path) {
		return this.client.get()
			.uri(path)
			.responseSingle((response, body) -> body.asString()
				.defaultIfEmpty("")
				.map((text) -> new Reply(response.status().code(), response.responseHeaders(), text)))
			.block(TIMEOUT);
	}

	Reply post(String path, String json) {
		return post(path, json, Map.of());
	}

	Reply post(String path, String json, Map<String, String> headers) {
		return this.client.headers((h) -> {
			h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
			headers.forEach(h::set);
		})
			.post()
			.uri(path)
			.send(ByteBufMono.fromString(Mono.just(json)))
			.responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8)
				.defaultIfEmpty("")
				.map((text) -> new Reply(response.status().code(), response.responseHeaders(), text)))
			.block(TIMEOUT);
	}

	/**
	 * Upload a file as kluster.ai's clients do: multipart, with a {@code purpose} field.
	 */
	Reply upload(String content, @Nullable String purpose) {
		return this.client.post()
			.uri("/files")
			.sendForm((request, form) -> {
				form.multipart(true);
				if (purpose != null) {
					form.attr("purpose", purpose);
				}
				form.file("file", "requests.jsonl",
						new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), "application/jsonl");
			})
			.responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8)
				.defaultIfEmpty("")
				.map((text) -> new Reply(response.status().code(), response.responseHeaders(), text)))
			.block(TIMEOUT);
	}

	/**
	 * Start a multipart upload, send {@code content}, then break it off: the body ends
	 * with an error before the file part is complete.
	 */
	@Nullable Throwable uploadBrokenOff(String content) {
		String boundary = "standInTestBoundary";
		String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--"
				+ boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.jsonl\"\r\n"
				+ "Content-Type: application/jsonl\r\n\r\n" + content;
		Flux<ByteBuf> body = Flux.just(head)
			.map((text) -> Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)))
			.concatWith(Mono.delay(Duration.ofMillis(200)).then(Mono.error(new IllegalStateException("cut"))));
		AtomicReference<Throwable> error = new AtomicReference<>();
		this.client
			.headers((h) -> h.set(HttpHeaderNames.CONTENT_TYPE, "multipart/form-data; boundary=" + boundary))
			.post()
			.uri("/files")
			.send(body)
			.responseSingle((response, received) -> received.asString())
			.doOnError(error::set)
			.onErrorResume((ex) -> Mono.empty())
			.block(TIMEOUT);
		return error.get();
	}

	Streamed stream(String json) {
		List<Piece> pieces = new CopyOnWriteArrayList<>();
		AtomicReference<Throwable> error = new AtomicReference<>();
		AtomicReference<Integer> status = new AtomicReference<>();
		AtomicReference<HttpHeaders> headers = new AtomicReference<>();
		this.client.headers((h) -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/json"))
			.post()
			.uri("/chat/completions")
			.send(ByteBufMono.fromString(Mono.just(json)))
			.response((response, content) -> {
				status.set(response.status().code());
				headers.set(response.responseHeaders());
				return content.asString(StandardCharsets.UTF_8);
			})
			.doOnNext((text) -> pieces.add(new Piece(text, System.nanoTime())))
			.doOnError(error::set)
			.onErrorResume((ex) -> Flux.empty())
			.blockLast(TIMEOUT);
		return new Streamed(status.get(), headers.get(), List.copyOf(pieces), error.get());
	}

	static String chat(String model, String prompt) {
		return """
				{"model": "%s", "messages": [{"role": "user", "content": "%s"}]}""".formatted(model, prompt);
	}

	static String streamedChat(String model, String prompt) {
		return """
				{"model": "%s", "stream": true, "messages": [{"role": "user", "content": "%s"}]}"""
			.formatted(model, prompt);
	}

	record Reply(int status, HttpHeaders headers, String body) {

		JsonNode json() {
			return JSON.readTree(this.body);
		}

	}

	/**
	 * What one read from the network delivered, and when.
	 */
	record Piece(String text, long arrivedAtNanos) {

	}

	record Streamed(@Nullable Integer status, @Nullable HttpHeaders headers, List<Piece> pieces,
			@Nullable Throwable error) {

		String text() {
			StringBuilder text = new StringBuilder();
			this.pieces.forEach((piece) -> text.append(piece.text()));
			return text.toString();
		}

		/**
		 * The data of each event, in order.
		 */
		List<String> data() {
			return Arrays.stream(text().split("\n\n"))
				.filter((event) -> !event.isEmpty())
				.map((event) -> event.startsWith("data: ") ? event.substring("data: ".length()) : "?" + event)
				.toList();
		}

		List<JsonNode> chunks() {
			return data().stream().filter((data) -> data.startsWith("{\"")).map(JSON::readTree).toList();
		}

		String content() {
			StringBuilder content = new StringBuilder();
			chunks().forEach((chunk) -> content.append(chunk.path("choices").path(0).path("delta").path("content")
				.asString("")));
			return content.toString();
		}

	}

}
