package dev.kluster.boot.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpHeaders;

import dev.kluster.boot.model.AssistantMessage;
import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionChunk;
import dev.kluster.boot.model.KlusterModel;
import dev.kluster.boot.model.ModelList;
import dev.kluster.boot.model.Role;
import dev.kluster.boot.model.Usage;

/**
 * A local stand-in for kluster.ai's OpenAI-compatible API, for tests. It listens on
 * {@code 127.0.0.1} and serves, below {@link #baseUrl()}:
 * <ul>
 * <li>{@code GET /models}: the {@linkplain #models(String...) model list};</li>
 * <li>{@code POST /chat/completions}: a canned {@code chat.completion}, or with
 * {@code "stream": true} server-sent {@code chat.completion.chunk} events, one word per
 * event, ended by {@code data: [DONE]}.</li>
 * </ul>
 * <p>
 * Answers are canned, never generated: the {@linkplain #answerWhenPromptContains first
 * prompt rule} that matches the last user message wins, then the
 * {@linkplain #answerFor answer for the model}, then the {@linkplain #answer default
 * answer}, and without any of them the stand-in echoes {@code You said: <last user
 * message>}. Usage counts words, not tokens: the prompt's are the whitespace-separated
 * words of all message contents, the completion's those of the answer.
 * <p>
 * Like kluster.ai, the stand-in refuses a request that lacks {@code model} or
 * {@code messages} or that carries a field kluster.ai does not support (for example
 * {@code max_tokens} or {@code tools}, or {@code name} on a message) with a 400 and an
 * OpenAI-style error body naming the field in {@code param}, and a model outside the
 * model list with a 404 unless {@link #acceptAnyModel()} was called. Every answer carries
 * an {@code x-request-id} header.
 * <p>
 * Faults are queued: each {@code ...Next} or {@code ...After} call adds one fault that
 * applies to exactly one request, in the order they were queued, after which normal
 * answers resume. Every request received is {@linkplain #requests() recorded}.
 * {@link #reset()} forgets scripts, faults, records and settings.
 * <p>
 * Typical use, here with JUnit 5 (see also {@link KlusterStandInExtension} and
 * {@link AutoConfigureKlusterStandIn}):
 *
 * <pre class="code">
 * try (KlusterStandIn standIn = KlusterStandIn.start()) {
 *     standIn.answerFor("deepseek-ai/DeepSeek-R1", "42")
 *         .rateLimitNext(Duration.ofSeconds(1));
 *
 *     // point the code under test at standIn.baseUrl() and call it ...
 *
 *     RecordedRequest request = standIn.lastRequest();
 *     assertThat(request.json().path("model").asString()).isEqualTo("deepseek-ai/DeepSeek-R1");
 *     assertThat(standIn.requestCount()).isEqualTo(2); // the 429, then the retry
 * }
 * </pre>
 *
 * Instances are thread-safe: requests are handled on Netty event loops while the test
 * configures and inspects the stand-in from its own thread.
 *
 * @since 0.1.0
 */
public final class KlusterStandIn implements AutoCloseable {

	/**
	 * The models listed until {@link #models(String...)} replaces them.
	 */
	public static final List<String> DEFAULT_MODELS = List.of("klusterai/Meta-Llama-3.1-8B-Instruct-Turbo",
			"klusterai/Meta-Llama-3.3-70B-Instruct-Turbo", "deepseek-ai/DeepSeek-R1", "deepseek-ai/DeepSeek-V3-0324",
			"google/gemma-3-27b-it", "Qwen/Qwen2.5-VL-7B-Instruct");

	/**
	 * The header every answer carries, {@code req_<n>} with {@code n} counting the
	 * requests the stand-in received since it started.
	 */
	public static final String REQUEST_ID_HEADER = "x-request-id";

	/**
	 * What {@link #malformedChunkAfter(int)} sends in place of JSON.
	 */
	public static final String MALFORMED_JSON = "{not json";

	private static final Set<String> UNSUPPORTED_REQUEST_FIELDS = Set.of("store", "max_tokens", "n", "modalities",
			"response_format", "service_tier", "stream_options", "tools", "tool_choice", "parallel_tool_calls",
			"function_call", "functions");

	private static final Set<String> UNSUPPORTED_MESSAGE_FIELDS = Set.of("name", "refusal", "audio", "tool_calls",
			"function_call");

	private static final String API_PREFIX = "/v1";

	private static final String JSON = "application/json";

	private static final String EVENT_STREAM = "text/event-stream";

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final AtomicLong requestCounter = new AtomicLong();

	private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();

	private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

	private final BlockingQueue<RecordedRequest> untaken = new LinkedBlockingQueue<>();

	private final Map<String, String> modelAnswers = new ConcurrentHashMap<>();

	private final List<PromptRule> promptRules = new CopyOnWriteArrayList<>();

	private volatile List<String> models = DEFAULT_MODELS;

	private volatile @Nullable String defaultAnswer;

	private volatile Duration chunkDelay = Duration.ZERO;

	private volatile boolean acceptAnyModel;

	private final DisposableServer server;

	private KlusterStandIn(int port) {
		this.server = HttpServer.create().host("127.0.0.1").port(port).handle(this::handle).bindNow();
	}

	/**
	 * Start a stand-in on a free port.
	 * @return the running stand-in
	 */
	public static KlusterStandIn start() {
		return start(0);
	}

	/**
	 * Start a stand-in on the given port.
	 * @param port the port to listen on, or {@code 0} for a free one
	 * @return the running stand-in
	 */
	public static KlusterStandIn start(int port) {
		return new KlusterStandIn(port);
	}

	/**
	 * The port the stand-in listens on.
	 * @return the port
	 */
	public int port() {
		return this.server.port();
	}

	/**
	 * The base URL to configure clients with, the stand-in's counterpart of
	 * {@code https://api.kluster.ai/v1}.
	 * @return {@code http://127.0.0.1:<port>/v1}
	 */
	public String baseUrl() {
		return "http://127.0.0.1:" + port() + API_PREFIX;
	}

	/**
	 * Stop listening. Calling this more than once has no effect.
	 */
	@Override
	public void close() {
		if (!this.server.isDisposed()) {
			this.server.disposeNow(SHUTDOWN_TIMEOUT);
		}
	}

	// Scripts and settings

	/**
	 * Replace the models that {@code GET /models} lists and that chat completions accept.
	 * @param ids the model ids
	 * @return this stand-in
	 */
	public KlusterStandIn models(String... ids) {
		this.models = List.of(ids);
		return this;
	}

	/**
	 * Accept chat completions for any model, not only the listed ones.
	 * @return this stand-in
	 */
	public KlusterStandIn acceptAnyModel() {
		this.acceptAnyModel = true;
		return this;
	}

	/**
	 * Set the answer given when no prompt rule and no model answer applies.
	 * @param text the answer
	 * @return this stand-in
	 */
	public KlusterStandIn answer(String text) {
		this.defaultAnswer = Objects.requireNonNull(text, "text");
		return this;
	}

	/**
	 * Set the answer for requests to one model, unless a prompt rule applies.
	 * @param model the model id
	 * @param text the answer
	 * @return this stand-in
	 */
	public KlusterStandIn answerFor(String model, String text) {
		this.modelAnswers.put(Objects.requireNonNull(model, "model"), Objects.requireNonNull(text, "text"));
		return this;
	}

	/**
	 * Answer with {@code text} when the last user message contains {@code fragment}. Rules
	 * are tried in the order they were added; the first that matches wins over model and
	 * default answers.
	 * @param fragment the text to look for, case-sensitive
	 * @param text the answer
	 * @return this stand-in
	 */
	public KlusterStandIn answerWhenPromptContains(String fragment, String text) {
		this.promptRules
			.add(new PromptRule(Objects.requireNonNull(fragment, "fragment"), Objects.requireNonNull(text, "text")));
		return this;
	}

	/**
	 * Pace streamed answers: wait this long before each event.
	 * @param delay the pause before each event, zero for none (the default)
	 * @return this stand-in
	 */
	public KlusterStandIn chunkDelay(Duration delay) {
		if (delay.isNegative()) {
			throw new IllegalArgumentException("chunkDelay must not be negative: " + delay);
		}
		this.chunkDelay = delay;
		return this;
	}

	// Faults

	/**
	 * Answer the next request with the given status and body. The body's content type
	 * follows its first character: JSON for <code>{</code> or {@code [}, HTML for
	 * {@code <}, plain text otherwise.
	 * @param status the HTTP status, e.g. 500 or 502
	 * @param body the body, e.g. a gateway's HTML error page
	 * @return this stand-in
	 */
	public KlusterStandIn failNext(int status, String body) {
		return queue(new Fault.Fail(status, Objects.requireNonNull(body, "body")));
	}

	/**
	 * Answer the next request with a 429 and an OpenAI-style rate limit error.
	 * @param retryAfter what to send as {@code Retry-After} (in whole seconds, rounded
	 * up), or {@code null} to send no such header
	 * @return this stand-in
	 */
	public KlusterStandIn rateLimitNext(@Nullable Duration retryAfter) {
		return queue(new Fault.RateLimit(retryAfter));
	}

	/**
	 * Wait before answering the next request, before any header is sent.
	 * @param delay how long to wait
	 * @return this stand-in
	 */
	public KlusterStandIn delayNext(Duration delay) {
		return queue(new Fault.Delay(Objects.requireNonNull(delay, "delay")));
	}

	/**
	 * Break the next streamed answer: send {@code chunks} events, then close the
	 * connection without {@code [DONE]}. A request that is not streamed has its
	 * connection closed without an answer.
	 * @param chunks the number of events sent before the connection is closed
	 * @return this stand-in
	 */
	public KlusterStandIn dropStreamAfter(int chunks) {
		return queue(new Fault.DropStream(requireNotNegative(chunks)));
	}

	/**
	 * Corrupt the next streamed answer: after {@code chunks} events, send
	 * <code>data: {not json</code> as an event, then carry on to {@code [DONE]}. A
	 * request that is not streamed is answered <code>{not json</code> in place of its
	 * JSON body.
	 * @param chunks the number of good events sent before the malformed one
	 * @return this stand-in
	 */
	public KlusterStandIn malformedChunkAfter(int chunks) {
		return queue(new Fault.MalformedChunk(requireNotNegative(chunks)));
	}

	/**
	 * End the next streamed answer cleanly but without {@code data: [DONE]}. A request
	 * that is not streamed is answered normally.
	 * @return this stand-in
	 */
	public KlusterStandIn streamWithoutDone() {
		return queue(Fault.NoDone.INSTANCE);
	}

	// Records

	/**
	 * The requests received so far, oldest first.
	 * @return a snapshot of the requests
	 */
	public List<RecordedRequest> requests() {
		return List.copyOf(this.requests);
	}

	/**
	 * The request received last.
	 * @return the request
	 * @throws IllegalStateException if no request was received
	 */
	public RecordedRequest lastRequest() {
		List<RecordedRequest> all = requests();
		if (all.isEmpty()) {
			throw new IllegalStateException("The kluster.ai stand-in has received no request");
		}
		return all.get(all.size() - 1);
	}

	/**
	 * The number of requests received so far.
	 * @return the count
	 */
	public int requestCount() {
		return this.requests.size();
	}

	/**
	 * Take the oldest request not taken yet, waiting for one to arrive if needed. Useful
	 * when the code under test calls the stand-in asynchronously.
	 * @param timeout how long to wait at most
	 * @return the request, or {@code null} when none arrived in time
	 */
	public @Nullable RecordedRequest takeRequest(Duration timeout) {
		try {
			return this.untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/**
	 * Forget scripted answers, queued faults and recorded requests, and restore the
	 * default models, pacing and model check. Request ids keep counting so that they stay
	 * unique.
	 */
	public void reset() {
		this.faults.clear();
		this.requests.clear();
		this.untaken.clear();
		this.modelAnswers.clear();
		this.promptRules.clear();
		this.models = DEFAULT_MODELS;
		this.defaultAnswer = null;
		this.chunkDelay = Duration.ZERO;
		this.acceptAnyModel = false;
	}

	private KlusterStandIn queue(Fault fault) {
		this.faults.add(fault);
		return this;
	}

	private static int requireNotNegative(int chunks) {
		if (chunks < 0) {
			throw new IllegalArgumentException("chunks must not be negative: " + chunks);
		}
		return chunks;
	}

	// Serving

	private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		long number = this.requestCounter.incrementAndGet();
		String requestId = "req_" + number;
		response.header(REQUEST_ID_HEADER, requestId);
		return request.receive()
			.aggregate()
			.asString(StandardCharsets.UTF_8)
			.defaultIfEmpty("")
			.flatMap((body) -> {
				RecordedRequest recorded = record(requestId, request, body);
				return respond(response, recorded, number, this.faults.poll());
			});
	}

	private RecordedRequest record(String requestId, HttpServerRequest request, String body) {
		HttpHeaders headers = new HttpHeaders();
		request.requestHeaders().forEach((header) -> headers.add(header.getKey(), header.getValue()));
		RecordedRequest recorded = new RecordedRequest(requestId, request.method().name(), request.uri(),
				HttpHeaders.readOnlyHttpHeaders(headers), body, this.jsonMapper);
		this.requests.add(recorded);
		this.untaken.add(recorded);
		return recorded;
	}

	private Mono<Void> respond(HttpServerResponse response, RecordedRequest request, long number,
			@Nullable Fault fault) {
		if (fault instanceof Fault.Fail fail) {
			return sendBody(response, new JsonAnswer(fail.status(), fail.body(), contentTypeOf(fail.body())));
		}
		if (fault instanceof Fault.RateLimit rateLimit) {
			if (rateLimit.retryAfter() != null) {
				response.header(HttpHeaderNames.RETRY_AFTER, Long.toString(wholeSeconds(rateLimit.retryAfter())));
			}
			return sendBody(response, error(429, "Rate limit reached for requests. Please try again later.",
					"rate_limit_error", null, "rate_limit_exceeded"));
		}
		if (fault instanceof Fault.Delay delay) {
			return Mono.delay(delay.duration()).then(Mono.defer(() -> send(response, answer(request, number), null)));
		}
		return send(response, answer(request, number), fault);
	}

	private Mono<Void> send(HttpServerResponse response, Answer answer, @Nullable Fault fault) {
		if (answer instanceof StreamAnswer stream) {
			return sendStream(response, stream, fault);
		}
		JsonAnswer json = (JsonAnswer) answer;
		if (fault instanceof Fault.DropStream) {
			return Mono.fromRunnable(() -> response.withConnection(Connection::dispose));
		}
		if (fault instanceof Fault.MalformedChunk) {
			return sendBody(response, new JsonAnswer(json.status(), MALFORMED_JSON, JSON));
		}
		return sendBody(response, json);
	}

	private Mono<Void> sendBody(HttpServerResponse response, JsonAnswer answer) {
		byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
		return response.status(answer.status())
			.header(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
			.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length))
			.sendByteArray(Mono.just(bytes))
			.then();
	}

	private Mono<Void> sendStream(HttpServerResponse response, StreamAnswer answer, @Nullable Fault fault) {
		List<String> data = new ArrayList<>(answer.chunks());
		boolean drop = false;
		if (fault instanceof Fault.DropStream dropStream) {
			data = data.subList(0, Math.min(dropStream.chunks(), data.size()));
			drop = true;
		}
		else if (fault instanceof Fault.MalformedChunk malformed) {
			data.add(Math.min(malformed.chunks(), data.size()), MALFORMED_JSON);
			data.add("[DONE]");
		}
		else if (!(fault instanceof Fault.NoDone)) {
			data.add("[DONE]");
		}
		Flux<String> events = Flux.fromIterable(data);
		Duration delay = this.chunkDelay;
		if (!delay.isZero()) {
			events = events.delayElements(delay);
		}
		Flux<ByteBuf> buffers = events
			.map((event) -> Unpooled.wrappedBuffer(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8)));
		// Flushing after every event is what lets a client see the answer grow; without it
		// Netty may coalesce events that are written in quick succession.
		Mono<Void> sent = response.status(200)
			.header(HttpHeaderNames.CONTENT_TYPE, EVENT_STREAM)
			.header(HttpHeaderNames.CACHE_CONTROL, "no-cache")
			.send(buffers, (buffer) -> true)
			.then();
		if (drop) {
			return sent.then(Mono.fromRunnable(() -> response.withConnection(Connection::dispose)));
		}
		return sent;
	}

	// Answers

	private Answer answer(RecordedRequest request, long number) {
		String path = request.path();
		int query = path.indexOf('?');
		if (query >= 0) {
			path = path.substring(0, query);
		}
		if (path.endsWith("/") && path.length() > 1) {
			path = path.substring(0, path.length() - 1);
		}
		if ("GET".equals(request.method()) && (API_PREFIX + "/models").equals(path)) {
			return modelList();
		}
		if ("POST".equals(request.method()) && (API_PREFIX + "/chat/completions").equals(path)) {
			return chatCompletion(request.body(), number);
		}
		return error(404, "Unknown request URL: " + request.method() + " " + path + ". The kluster.ai stand-in serves "
				+ "GET " + API_PREFIX + "/models and POST " + API_PREFIX + "/chat/completions.", "invalid_request_error",
				null, "unknown_url");
	}

	private JsonAnswer modelList() {
		Instant created = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		List<KlusterModel> data = this.models.stream()
			.map((id) -> new KlusterModel(id, "model", created, owner(id)))
			.toList();
		return new JsonAnswer(200, this.jsonMapper.writeValueAsString(new ModelList("list", data)), JSON);
	}

	private static String owner(String id) {
		int slash = id.indexOf('/');
		return (slash > 0) ? id.substring(0, slash) : "klusterai";
	}

	private Answer chatCompletion(String body, long number) {
		JsonNode root;
		try {
			root = this.jsonMapper.readTree(body);
		}
		catch (JacksonException ex) {
			return invalidRequest("We could not parse the JSON body of your request. The kluster.ai stand-in expects "
					+ "a JSON object.", null);
		}
		if (root == null || !root.isObject()) {
			return invalidRequest("The request body must be a JSON object.", null);
		}
		JsonAnswer invalid = validate(root);
		if (invalid != null) {
			return invalid;
		}
		String model = root.get("model").asString();
		if (!this.acceptAnyModel && !this.models.contains(model)) {
			return error(404, "The model `" + model + "` does not exist or you do not have access to it.",
					"invalid_request_error", "model", "model_not_found");
		}
		JsonNode messages = root.get("messages");
		String prompt = lastUserMessage(messages);
		String text = chooseAnswer(model, prompt);
		Usage usage = Usage.of(countWords(messages), words(text).size());
		String id = "chatcmpl-standin-" + number;
		Instant created = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		if (root.path("stream").asBoolean(false)) {
			return new StreamAnswer(chunks(id, created, model, text, usage));
		}
		ChatCompletion completion = new ChatCompletion(id, "chat.completion", created, model,
				List.of(new ChatCompletion.Choice(0, AssistantMessage.of(text), "stop", null)), usage, null);
		return new JsonAnswer(200, this.jsonMapper.writeValueAsString(completion), JSON);
	}

	private @Nullable JsonAnswer validate(JsonNode root) {
		for (String field : root.propertyNames()) {
			if (UNSUPPORTED_REQUEST_FIELDS.contains(field)) {
				return invalidRequest(unsupported(field), field);
			}
		}
		JsonNode model = root.get("model");
		if (model == null || model.isNull()) {
			return invalidRequest("Missing required parameter: 'model'.", "model");
		}
		if (!model.isString()) {
			return invalidRequest("Invalid type for 'model': expected a string.", "model");
		}
		JsonNode messages = root.get("messages");
		if (messages == null || messages.isNull()) {
			return invalidRequest("Missing required parameter: 'messages'.", "messages");
		}
		if (!messages.isArray() || messages.isEmpty()) {
			return invalidRequest("'messages' must be a non-empty array.", "messages");
		}
		for (int i = 0; i < messages.size(); i++) {
			JsonNode message = messages.get(i);
			if (!message.isObject()) {
				return invalidRequest("Each message must be a JSON object.", "messages[" + i + "]");
			}
			for (String field : message.propertyNames()) {
				if (UNSUPPORTED_MESSAGE_FIELDS.contains(field)) {
					return invalidRequest(unsupported(field), "messages[" + i + "]." + field);
				}
			}
		}
		return null;
	}

	private static String unsupported(String field) {
		return "Unsupported parameter: '" + field + "' is not supported by kluster.ai (kluster.ai stand-in).";
	}

	private String chooseAnswer(String model, String prompt) {
		for (PromptRule rule : this.promptRules) {
			if (prompt.contains(rule.fragment())) {
				return rule.answer();
			}
		}
		String forModel = this.modelAnswers.get(model);
		if (forModel != null) {
			return forModel;
		}
		String answer = this.defaultAnswer;
		return (answer != null) ? answer : "You said: " + prompt;
	}

	private List<String> chunks(String id, Instant created, String model, String text, Usage usage) {
		List<ChatCompletionChunk> chunks = new ArrayList<>();
		chunks.add(chunk(id, created, model, new AssistantMessage(Role.ASSISTANT, "", null, null, null), null));
		for (String piece : pieces(text)) {
			chunks.add(chunk(id, created, model, new AssistantMessage(null, piece, null, null, null), null));
		}
		chunks.add(chunk(id, created, model, new AssistantMessage(null, null, null, null, null), "stop"));
		chunks.add(new ChatCompletionChunk(id, "chat.completion.chunk", created, model, List.of(), usage));
		return chunks.stream().map(this.jsonMapper::writeValueAsString).toList();
	}

	private static ChatCompletionChunk chunk(String id, Instant created, String model, AssistantMessage delta,
			@Nullable String finishReason) {
		return new ChatCompletionChunk(id, "chat.completion.chunk", created, model,
				List.of(new ChatCompletionChunk.Choice(0, delta, finishReason, null)), null);
	}

	/**
	 * Split text into words that keep the whitespace before them, so that the pieces add
	 * up to the text exactly.
	 */
	private static List<String> pieces(String text) {
		List<String> pieces = new ArrayList<>();
		int start = 0;
		int i = 0;
		while (i < text.length()) {
			while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
				i++;
			}
			while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
				i++;
			}
			pieces.add(text.substring(start, i));
			start = i;
		}
		return pieces;
	}

	private static String lastUserMessage(JsonNode messages) {
		for (int i = messages.size() - 1; i >= 0; i--) {
			JsonNode message = messages.get(i);
			if ("user".equals(message.path("role").asString(""))) {
				return contentText(message.get("content"));
			}
		}
		return "";
	}

	private static int countWords(JsonNode messages) {
		int count = 0;
		for (JsonNode message : messages) {
			count += words(contentText(message.get("content"))).size();
		}
		return count;
	}

	/**
	 * The text of a message's content: the string itself, or the text parts of an array
	 * of content parts (image parts have no words).
	 */
	private static String contentText(@Nullable JsonNode content) {
		if (content == null || content.isNull()) {
			return "";
		}
		if (content.isArray()) {
			List<String> texts = new ArrayList<>();
			for (JsonNode part : content) {
				if (part.path("text").isString()) {
					texts.add(part.path("text").asString());
				}
			}
			return String.join(" ", texts);
		}
		return content.isString() ? content.asString() : content.toString();
	}

	private static List<String> words(String text) {
		String stripped = text.strip();
		return stripped.isEmpty() ? Collections.emptyList() : List.of(stripped.split("\\s+"));
	}

	private JsonAnswer invalidRequest(String message, @Nullable String param) {
		return error(400, message, "invalid_request_error", param, null);
	}

	private JsonAnswer error(int status, String message, String type, @Nullable String param, @Nullable String code) {
		ObjectNode root = this.jsonMapper.createObjectNode();
		ObjectNode error = root.putObject("error");
		error.put("message", message);
		error.put("type", type);
		error.put("param", param);
		error.put("code", code);
		return new JsonAnswer(status, this.jsonMapper.writeValueAsString(root), JSON);
	}

	private static long wholeSeconds(Duration duration) {
		long seconds = duration.toSeconds();
		return (duration.minusSeconds(seconds).isZero()) ? seconds : seconds + 1;
	}

	private static String contentTypeOf(String body) {
		String start = body.stripLeading();
		if (start.startsWith("{") || start.startsWith("[")) {
			return JSON;
		}
		if (start.startsWith("<")) {
			return "text/html; charset=utf-8";
		}
		return "text/plain; charset=utf-8";
	}

	/**
	 * A one-shot fault, applied to the next request that finds it first in the queue.
	 */
	private sealed interface Fault {

		record Fail(int status, String body) implements Fault {
		}

		record RateLimit(@Nullable Duration retryAfter) implements Fault {
		}

		record Delay(Duration duration) implements Fault {
		}

		record DropStream(int chunks) implements Fault {
		}

		record MalformedChunk(int chunks) implements Fault {
		}

		enum NoDone implements Fault {

			INSTANCE

		}

	}

	/**
	 * What a request is answered with before any fault is applied.
	 */
	private sealed interface Answer permits JsonAnswer, StreamAnswer {

	}

	private record JsonAnswer(int status, String body, String contentType) implements Answer {

	}

	/**
	 * A streamed answer: the JSON of each chunk, without {@code [DONE]}.
	 */
	private record StreamAnswer(List<String> chunks) implements Answer {

	}

	private record PromptRule(String fragment, String answer) {

	}

}
