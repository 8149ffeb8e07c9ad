package dev.kluster.boot.resilience;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import io.netty.channel.ChannelOption;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A scriptable local kluster.ai for fault tests: each request takes the next scripted
 * {@link Behavior}, or the default one. Counts requests in flight (from arrival until the
 * answer is fully sent or the connection closes) and the most seen at once, and records
 * the {@code Authorization} header of every request.
 */
final class LocalKluster implements AutoCloseable {

	static final String KEY = "sk-kluster-7f3a9c-SECRET-never-log-me";

	static final String COMPLETION = """
			{"id":"chatcmpl-1","object":"chat.completion","created":1733832777,"model":"klusterai/Meta-Llama-3.1-8B-Instruct-Turbo",
			 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"},"finish_reason":"stop"}],
			 "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}""";

	static final String CHUNK = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
			+ "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word \"}}]}";

	private final DisposableServer server;

	private final String host;

	private final Queue<Behavior> script = new ConcurrentLinkedQueue<>();

	private volatile Behavior fallback = json(200, COMPLETION);

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger maxInFlight = new AtomicInteger();

	private final AtomicInteger requests = new AtomicInteger();

	private final List<String> authorizations = new CopyOnWriteArrayList<>();

	private LocalKluster(String host) {
		this.host = host;
		this.server = HttpServer.create().host(host).port(0).handle(this::handle).bindNow();
	}

	static LocalKluster start() {
		return new LocalKluster("127.0.0.1");
	}

	static LocalKluster start(String host) {
		return new LocalKluster(host);
	}

	String baseUrl() {
		return "http://" + this.host + ":" + this.server.port() + "/v1";
	}

	LocalKluster then(Behavior... behaviors) {
		this.script.addAll(List.of(behaviors));
		return this;
	}

	LocalKluster byDefault(Behavior behavior) {
		this.fallback = behavior;
		return this;
	}

	int inFlight() {
		return this.inFlight.get();
	}

	int maxInFlight() {
		return this.maxInFlight.get();
	}

	int requests() {
		return this.requests.get();
	}

	List<String> authorizations() {
		return this.authorizations;
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

	private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		this.requests.incrementAndGet();
		String authorization = request.requestHeaders().get("Authorization");
		this.authorizations.add((authorization != null) ? authorization : "<none>");
		this.maxInFlight.accumulateAndGet(this.inFlight.incrementAndGet(), Math::max);
		Behavior behavior = this.script.poll();
		Behavior chosen = (behavior != null) ? behavior : this.fallback;
		// Read the request body first, as a real server does before answering.
		return request.receive()
			.then()
			.then(Mono.defer(() -> chosen.apply(request, response)))
			.doFinally((signal) -> this.inFlight.decrementAndGet());
	}

	/** What the server does with one request. */
	interface Behavior extends BiFunction<HttpServerRequest, HttpServerResponse, Mono<Void>> {

	}

	static Behavior json(int status, String body) {
		return (request, response) -> response.status(status)
			.header("Content-Type", "application/json")
			.sendString(Mono.just(body))
			.then();
	}

	static Behavior html(int status, String body) {
		return (request, response) -> response.status(status)
			.header("Content-Type", "text/html")
			.sendString(Mono.just(body))
			.then();
	}

	static Behavior delayed(Duration delay, Behavior then) {
		return (request, response) -> Mono.delay(delay).then(then.apply(request, response));
	}

	static Behavior sse(int chunks, boolean done, Duration interval) {
		return (request, response) -> response.header("Content-Type", "text/event-stream")
			.sendString(Flux.range(0, chunks)
				.delayElements(interval)
				.map((i) -> "data: " + CHUNK + "\n\n")
				.concatWith(done ? Mono.just("data: [DONE]\n\n") : Mono.empty()))
			.then();
	}

	/** A stream that goes on until the client goes away. */
	static Behavior endlessStream(Duration interval) {
		return (request, response) -> response.header("Content-Type", "text/event-stream")
			.sendString(Flux.interval(Duration.ZERO, interval).map((i) -> "data: " + CHUNK + "\n\n"))
			.then();
	}

	static Behavior stall() {
		return (request, response) -> Mono.never();
	}

	/** Headers and some chunks, then silence. */
	static Behavior stallAfterChunks(int chunks) {
		return (request, response) -> response.header("Content-Type", "text/event-stream")
			.sendString(Flux.range(0, chunks).map((i) -> "data: " + CHUNK + "\n\n").concatWith(Flux.never()))
			.then();
	}

	/** A TCP reset before any header is sent. */
	static Behavior resetBeforeHeaders() {
		return (request, response) -> Mono.<Void>fromRunnable(() -> response.withConnection((connection) -> {
			connection.channel().config().setOption(ChannelOption.SO_LINGER, 0);
			connection.channel().close();
		})).then(Mono.never());
	}

	/** Some chunks of a stream, then a TCP reset. */
	static Behavior resetAfterChunks(int chunks) {
		return (request, response) -> response.header("Content-Type", "text/event-stream")
			.sendString(Flux.range(0, chunks).map((i) -> "data: " + CHUNK + "\n\n"))
			.then()
			.then(Mono.delay(Duration.ofMillis(50)))
			.then(Mono.fromRunnable(() -> response.withConnection((connection) -> {
				connection.channel().config().setOption(ChannelOption.SO_LINGER, 0);
				connection.channel().close();
			})))
			.then(Mono.never());
	}

	static Behavior redirect(int status, String location) {
		return (request, response) -> response.status(status).header("Location", location).send().then();
	}

	/** A completion whose content is {@code bytes} long. */
	static Behavior largeCompletion(int bytes) {
		String content = "x".repeat(bytes);
		return json(200, COMPLETION.replace("Hello there", content));
	}

	/** One stream event whose content is {@code bytes} long. */
	static Behavior largeChunk(int bytes) {
		String chunk = CHUNK.replace("word ", "x".repeat(bytes));
		return (request, response) -> response.header("Content-Type", "text/event-stream")
			.sendString(Flux.just("data: " + CHUNK + "\n\n", "data: " + chunk + "\n\n", "data: [DONE]\n\n"))
			.then();
	}

	static byte[] utf8(@Nullable String text) {
		return (text != null) ? text.getBytes(StandardCharsets.UTF_8) : new byte[0];
	}

}
