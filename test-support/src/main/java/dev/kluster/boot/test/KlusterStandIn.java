package dev.kluster.boot.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpData;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpHeaders;

/**
 * A local stand-in for kluster.ai's OpenAI-compatible API, for tests. It listens on
 * {@code 127.0.0.1} and serves, below {@link #baseUrl()}:
 * <ul>
 * <li>{@code GET /models}: the {@linkplain #models(String...) model list};</li>
 * <li>{@code POST /chat/completions}: a canned {@code chat.completion}, or with
 * {@code "stream": true} server-sent {@code chat.completion.chunk} events, one word per
 * event, ended by {@code data: [DONE]}; with kluster.ai's
 * {@code metadata["@kluster.ai"].async = true}, the {@linkplain #QUEUED_ANSWER queued
 * placeholder} instead of an answer;</li>
 * <li>{@code POST /embeddings}: one vector per input, made from a hash of the input so
 * that the same text always gets the same vector (eight
 * floats of length 1 unless the request sets {@code dimensions}), sent as floats or, with
 * {@code encoding_format=base64}, as OpenAI's Base64; any model is accepted;</li>
 * <li>{@code POST /files} (multipart, {@code purpose=batch}), {@code GET /files/{id}} and
 * {@code GET /files/{id}/content}: files kept on disk, never in memory;</li>
 * <li>{@code POST /batches}, {@code GET /batches/{id}}, {@code POST /batches/{id}/cancel}
 * and {@code GET /batches?limit&after}: batches of chat completions or of embeddings
 * ({@code /v1/embeddings} lines, answered as {@code POST /embeddings} is) that move through
 * their statuses on a {@linkplain #clock() clock the test controls}.</li>
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
 * model list with a 404 unless {@link #acceptAnyModel()} was called. The unsupported
 * fields are those the client's validation refuses by default; {@link #accept(String...)}
 * accepts some of them, and under {@link AutoConfigureKlusterStandIn} the stand-in follows
 * the application's {@code kluster.validation.*} lists. Every answer carries an
 * {@code x-request-id} header.
 * <p>
 * A batch reads its input file when it is created: a line that is not a request of the
 * batch's endpoint makes it fail its validation, with the line in its {@code errors}.
 * Otherwise it stays {@code validating}, {@code in_progress} and {@code finalizing} for
 * the {@linkplain #batchTimeline times set} (none by default, so that a batch is
 * {@code completed} as soon as it is read again), counting its requests as done in
 * proportion to the time spent in progress, then ends as {@linkplain #failBatches
 * failed}, {@linkplain #expireBatches expired} or completed; a {@code cancel} makes it
 * {@code cancelling} for the {@linkplain #batchCancellingTime time set}, then
 * {@code cancelled}. When it ends, each done request is answered exactly as the same
 * request sent to {@code POST /chat/completions} would be: answers go to the output file,
 * refusals and {@linkplain #failBatchLinesWhenPromptContains failing lines} to the error
 * file, in input order unless {@linkplain #batchResultsOutOfOrder() told otherwise}.
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

	/**
	 * The message of the completion that answers a request with
	 * {@code metadata["@kluster.ai"].async = true}: a placeholder that says the request was
	 * queued, not an answer to it.
	 */
	public static final String QUEUED_ANSWER = "Your request has been queued for asynchronous processing. "
			+ "Its result will be available in your batch jobs.";

	/**
	 * The largest file {@code POST /files} accepts, kluster.ai's 100 MB read as 10^8
	 * bytes.
	 */
	public static final long MAX_FILE_BYTES = StandInBatches.MAX_FILE_BYTES;

	private static final String API_PREFIX = "/v1";

	private static final String FILES = API_PREFIX + "/files";

	private static final String BATCHES = API_PREFIX + "/batches";

	private static final String JSON = "application/json";

	private static final String EVENT_STREAM = "text/event-stream";

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

	/** Parts of an upload above this size go to disk as they arrive. */
	private static final long UPLOAD_MEMORY_LIMIT = 16 * 1024;

	private final StandInJson json = new StandInJson();

	private final StandInChat chat = new StandInChat(this.json);

	private final StandInEmbeddings embeddings = new StandInEmbeddings(this.json, this.chat);

	private final StandInBatches batches = new StandInBatches(this.json, this.chat, new StandInClock());

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger maxInFlight = new AtomicInteger();

	private final AtomicLong requestCounter = new AtomicLong();

	private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();

	private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

	private final BlockingQueue<RecordedRequest> untaken = new LinkedBlockingQueue<>();

	private volatile Duration chunkDelay = Duration.ZERO;

	// Event loops of its own, not Reactor Netty's global ones: Spring's
	// ReactorResourceFactory disposes the global ones when an application context that
	// uses them closes, which would stop a stand-in that outlives that context.
	private final LoopResources loops = LoopResources.create("kluster-stand-in");

	private final DisposableServer server;

	private KlusterStandIn(int port) {
		this.server = HttpServer.create()
			.runOn(this.loops)
			.host("127.0.0.1")
			.port(port)
			.handle(this::handle)
			.bindNow();
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
	 * Stop listening and delete the files. Calling this more than once has no effect.
	 */
	@Override
	public void close() {
		if (!this.server.isDisposed()) {
			this.server.disposeNow(SHUTDOWN_TIMEOUT);
			this.loops.disposeLater(Duration.ZERO, SHUTDOWN_TIMEOUT).block(SHUTDOWN_TIMEOUT);
			this.batches.close();
		}
	}

	// Scripts and settings

	/**
	 * Replace the models that {@code GET /models} lists and that chat completions accept.
	 * @param ids the model ids
	 * @return this stand-in
	 */
	public KlusterStandIn models(String... ids) {
		this.chat.models(List.of(ids));
		return this;
	}

	/**
	 * Accept chat completions for any model, not only the listed ones.
	 * @return this stand-in
	 */
	public KlusterStandIn acceptAnyModel() {
		this.chat.acceptAnyModel();
		return this;
	}

	/**
	 * Accept fields that kluster.ai's compatibility page lists as unsupported, as kluster.ai
	 * does for some models (for example {@code tools} on some Llama models), so that code
	 * that sends them can be tested. Names follow
	 * {@code kluster.validation.allowed-parameters}: a plain name means a request field
	 * ({@code tools}), a name starting with {@code messages[].} a message field
	 * ({@code messages[].tool_calls}), one starting with {@code embeddings.} a field of
	 * embedding requests ({@code embeddings.dimensions}). {@link #reset()} refuses them
	 * again.
	 * @param fields the JSON field names to accept
	 * @return this stand-in
	 */
	public KlusterStandIn accept(String... fields) {
		this.chat.accept(List.of(fields));
		return this;
	}

	/**
	 * Refuse exactly these fields from now on and after each {@link #reset()}, in place of
	 * the defaults: how {@link AutoConfigureKlusterStandIn} makes the stand-in follow the
	 * application's validation settings.
	 */
	void refuseUnsupported(StandInUnsupportedFields fields) {
		this.chat.configureUnsupported(fields);
	}

	/**
	 * Set the answer given when no prompt rule and no model answer applies.
	 * @param text the answer
	 * @return this stand-in
	 */
	public KlusterStandIn answer(String text) {
		this.chat.answer(Objects.requireNonNull(text, "text"));
		return this;
	}

	/**
	 * Set the answer for requests to one model, unless a prompt rule applies.
	 * @param model the model id
	 * @param text the answer
	 * @return this stand-in
	 */
	public KlusterStandIn answerFor(String model, String text) {
		this.chat.answerFor(Objects.requireNonNull(model, "model"), Objects.requireNonNull(text, "text"));
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
		this.chat.answerWhenPromptContains(Objects.requireNonNull(fragment, "fragment"),
				Objects.requireNonNull(text, "text"));
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

	/**
	 * Send every timestamp (a batch's {@code *_at}, a file's {@code created_at}, a model's
	 * or a completion's {@code created}) as a string of digits, {@code "1733832777"}, as
	 * kluster.ai sometimes does, instead of a number.
	 * @return this stand-in
	 */
	public KlusterStandIn timestampsAsStrings() {
		this.json.timestampsAsStrings(true);
		return this;
	}

	// Files and batches

	/**
	 * The clock of files and batches. It stands still until it is advanced, and a batch's
	 * status is read from it: advance it to move batches along their
	 * {@linkplain #batchTimeline timeline}.
	 * @return the clock
	 */
	public StandInClock clock() {
		return this.batches.clock();
	}

	/**
	 * Set how long batches created from now on stay in each status before the next, on
	 * the {@linkplain #clock() stand-in's clock}. All are zero by default.
	 * @param validating time in {@code validating}
	 * @param inProgress time in {@code in_progress}, during which requests are counted as
	 * done in proportion to the time spent
	 * @param finalizing time in {@code finalizing}
	 * @return this stand-in
	 */
	public KlusterStandIn batchTimeline(Duration validating, Duration inProgress, Duration finalizing) {
		this.batches.timeline(validating, inProgress, finalizing);
		return this;
	}

	/**
	 * Set how long a batch stays {@code cancelling} after a cancel before it is
	 * {@code cancelled}; zero by default. kluster.ai may take up to 10 minutes.
	 * @param cancelling the time in {@code cancelling}
	 * @return this stand-in
	 */
	public KlusterStandIn batchCancellingTime(Duration cancelling) {
		this.batches.cancellingTime(cancelling);
		return this;
	}

	/**
	 * Make batches created from now on fail at the end of {@code validating}, with one
	 * error in their {@code errors}.
	 * @param code the error's code
	 * @param message the error's message
	 * @return this stand-in
	 */
	public KlusterStandIn failBatches(String code, String message) {
		this.batches.outcome(StandInBatches.Outcome.fail(code, message));
		return this;
	}

	/**
	 * Make batches created from now on expire at the end of {@code in_progress}: the first
	 * half of their requests are answered, the others are in the error file with the
	 * error code {@code batch_expired}.
	 * @return this stand-in
	 */
	public KlusterStandIn expireBatches() {
		this.batches.outcome(StandInBatches.Outcome.EXPIRE);
		return this;
	}

	/**
	 * Write results out of order: the results of the odd input lines first, then those of
	 * the even ones.
	 * @return this stand-in
	 */
	public KlusterStandIn batchResultsOutOfOrder() {
		this.batches.outOfOrder();
		return this;
	}

	/**
	 * Fail the batch requests whose last user message contains {@code fragment}: their
	 * result goes to the error file with no response and the given error.
	 * @param fragment the text to look for, case-sensitive
	 * @param code the error code, for example {@code server_error}
	 * @param message the error message
	 * @return this stand-in
	 */
	public KlusterStandIn failBatchLinesWhenPromptContains(String fragment, String code, String message) {
		this.batches.failLinesWhenPromptContains(Objects.requireNonNull(fragment, "fragment"),
				Objects.requireNonNull(code, "code"), Objects.requireNonNull(message, "message"));
		return this;
	}

	/**
	 * The files held, uploaded ones and batch results, oldest first. A file whose upload
	 * was refused or broke off is not among them.
	 * @return a snapshot of the files
	 */
	public List<StandInFile> files() {
		return this.batches.files();
	}

	/**
	 * The ids of the batches created, oldest first.
	 * @return a snapshot of the ids
	 */
	public List<String> batchIds() {
		return this.batches.batchIds();
	}

	StandInBatches batches() {
		return this.batches;
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
	 * connection without {@code [DONE]}. A file's content counts its lines as events. A
	 * request that is not streamed has its connection closed without an answer.
	 * @param chunks the number of events sent before the connection is closed
	 * @return this stand-in
	 */
	public KlusterStandIn dropStreamAfter(int chunks) {
		return queue(new Fault.DropStream(requireNotNegative(chunks)));
	}

	/**
	 * Corrupt the next streamed answer: after {@code chunks} events, send
	 * <code>data: {not json</code> as an event, then carry on to {@code [DONE]}. A file's
	 * content gets <code>{not json</code> as a line after {@code chunks} lines. A request
	 * that is not streamed is answered <code>{not json</code> in place of its JSON body.
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
	 * The requests received so far, oldest first. A file upload is recorded without its
	 * body, which can be large: the file is among the {@link #files()}.
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
	 * The requests being answered now: received, and their answer not yet fully sent.
	 * @return the count
	 */
	public int inFlight() {
		return this.inFlight.get();
	}

	/**
	 * The most requests that were being answered at once since the stand-in started or
	 * was {@link #reset()}.
	 * @return the count
	 */
	public int maxInFlight() {
		return this.maxInFlight.get();
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
	 * Forget scripted answers, queued faults, recorded requests, files and batches, and
	 * restore the default models, pacing, model check, accepted fields, timestamps and
	 * batch settings.
	 * Request ids keep counting and the clock keeps its time, so that both stay in order.
	 */
	public void reset() {
		this.faults.clear();
		this.requests.clear();
		this.untaken.clear();
		this.chat.reset();
		this.batches.reset();
		this.json.timestampsAsStrings(false);
		this.chunkDelay = Duration.ZERO;
		this.maxInFlight.set(this.inFlight.get());
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
		this.maxInFlight.accumulateAndGet(this.inFlight.incrementAndGet(), Math::max);
		return serve(request, response).doFinally((signal) -> this.inFlight.decrementAndGet());
	}

	private Mono<Void> serve(HttpServerRequest request, HttpServerResponse response) {
		long number = this.requestCounter.incrementAndGet();
		String requestId = "req_" + number;
		response.header(REQUEST_ID_HEADER, requestId);
		if (request.method().equals(HttpMethod.POST) && FILES.equals(pathOf(request.uri()))
				&& request.isMultipart()) {
			return receiveUpload(request, response, requestId, number);
		}
		return request.receive()
			.aggregate()
			.asString(StandardCharsets.UTF_8)
			.defaultIfEmpty("")
			.flatMap((body) -> {
				RecordedRequest recorded = record(requestId, request, body);
				return respond(response, this.faults.poll(), Mono.defer(() -> answer(recorded, number)));
			});
	}

	/**
	 * Receive a multipart upload. The file part goes to disk as it arrives, so that an
	 * upload of any size costs no heap; an upload that breaks off leaves no file.
	 */
	private Mono<Void> receiveUpload(HttpServerRequest request, HttpServerResponse response, String requestId,
			long number) {
		Upload upload = new Upload(this.batches.newTemporaryPath());
		return request
			.receiveForm((form) -> form.baseDirectory(upload.directory()).maxInMemorySize(UPLOAD_MEMORY_LIMIT))
			.doOnNext(upload::accept)
			.then(Mono.defer(() -> {
				upload.recorded = true;
				record(requestId, request, "");
				return respond(response, this.faults.poll(), Mono.fromCallable(() -> {
					Path content = upload.content;
					upload.content = null;
					return this.batches.upload(content, upload.filename, upload.purpose);
				}).subscribeOn(Schedulers.boundedElastic()));
			}))
			.doFinally((signal) -> {
				// Whatever Netty left of a part that broke off goes too, before the test can
				// see the request.
				upload.discard();
				if (!upload.recorded) {
					upload.recorded = true;
					record(requestId, request, "");
				}
			});
	}

	private RecordedRequest record(String requestId, HttpServerRequest request, String body) {
		HttpHeaders headers = new HttpHeaders();
		request.requestHeaders().forEach((header) -> headers.add(header.getKey(), header.getValue()));
		RecordedRequest recorded = new RecordedRequest(requestId, request.method().name(), request.uri(),
				HttpHeaders.readOnlyHttpHeaders(headers), body, this.json.mapper());
		this.requests.add(recorded);
		this.untaken.add(recorded);
		return recorded;
	}

	private Mono<Void> respond(HttpServerResponse response, @Nullable Fault fault, Mono<StandInAnswer> answer) {
		if (fault instanceof Fault.Fail fail) {
			return sendBody(response, new StandInAnswer.Body(fail.status(), fail.body(), contentTypeOf(fail.body())));
		}
		if (fault instanceof Fault.RateLimit rateLimit) {
			if (rateLimit.retryAfter() != null) {
				response.header(HttpHeaderNames.RETRY_AFTER, Long.toString(wholeSeconds(rateLimit.retryAfter())));
			}
			return sendBody(response, error(429, "Rate limit reached for requests. Please try again later.",
					"rate_limit_error", null, "rate_limit_exceeded"));
		}
		if (fault instanceof Fault.Delay delay) {
			return Mono.delay(delay.duration()).then(answer).flatMap((ready) -> send(response, ready, null));
		}
		return answer.flatMap((ready) -> send(response, ready, fault));
	}

	private Mono<Void> send(HttpServerResponse response, StandInAnswer answer, @Nullable Fault fault) {
		if (answer instanceof StandInAnswer.Events events) {
			return sendEvents(response, events, fault);
		}
		if (answer instanceof StandInAnswer.Content content) {
			return sendContent(response, content, fault);
		}
		StandInAnswer.Body body = (StandInAnswer.Body) answer;
		if (fault instanceof Fault.DropStream) {
			return Mono.fromRunnable(() -> response.withConnection(Connection::dispose));
		}
		if (fault instanceof Fault.MalformedChunk) {
			return sendBody(response, new StandInAnswer.Body(body.status(), MALFORMED_JSON, JSON));
		}
		return sendBody(response, body);
	}

	private Mono<Void> sendBody(HttpServerResponse response, StandInAnswer.Body answer) {
		byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
		return response.status(answer.status())
			.header(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
			.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length))
			.sendByteArray(Mono.just(bytes))
			.then();
	}

	private Mono<Void> sendEvents(HttpServerResponse response, StandInAnswer.Events answer, @Nullable Fault fault) {
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
		return drop ? sent.then(Mono.fromRunnable(() -> response.withConnection(Connection::dispose))) : sent;
	}

	/**
	 * Stream a file from disk: whole when nothing is wrong, line by line when a fault
	 * breaks or corrupts it.
	 */
	private Mono<Void> sendContent(HttpServerResponse response, StandInAnswer.Content content,
			@Nullable Fault fault) {
		response.status(200).header(HttpHeaderNames.CONTENT_TYPE, content.contentType());
		if (fault instanceof Fault.DropStream drop) {
			return response.send(lines(content.path()).take(drop.chunks()).map(KlusterStandIn::lineBuffer))
				.then()
				.then(Mono.fromRunnable(() -> response.withConnection(Connection::dispose)));
		}
		if (fault instanceof Fault.MalformedChunk malformed) {
			Flux<String> lines = lines(content.path()).index()
				.concatMap((line) -> (line.getT1() == malformed.chunks()) ? Flux.just(MALFORMED_JSON, line.getT2())
						: Flux.just(line.getT2()));
			return response.send(lines.map(KlusterStandIn::lineBuffer)).then();
		}
		try {
			response.header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(Files.size(content.path())));
		}
		catch (IOException ex) {
			return Mono.error(new UncheckedIOException(ex));
		}
		return response.sendFile(content.path()).then();
	}

	private static Flux<String> lines(Path path) {
		return Flux.using(() -> Files.newBufferedReader(path, StandardCharsets.UTF_8),
				(reader) -> Flux.fromStream(reader.lines()), KlusterStandIn::closeQuietly);
	}

	private static void closeQuietly(BufferedReader reader) {
		try {
			reader.close();
		}
		catch (IOException ex) {
			// Nothing was written through it.
		}
	}

	private static ByteBuf lineBuffer(String line) {
		return Unpooled.wrappedBuffer((line + "\n").getBytes(StandardCharsets.UTF_8));
	}

	// Answers

	private Mono<StandInAnswer> answer(RecordedRequest request, long number) {
		String method = request.method();
		String path = pathOf(request.path());
		if ("GET".equals(method) && (API_PREFIX + "/models").equals(path)) {
			return Mono.just(modelList());
		}
		if ("POST".equals(method) && (API_PREFIX + "/chat/completions").equals(path)) {
			return Mono.just(chatCompletion(request.body(), number));
		}
		if ("POST".equals(method) && (API_PREFIX + "/embeddings").equals(path)) {
			return Mono.just(embeddings(request.body()));
		}
		if ("POST".equals(method) && FILES.equals(path)) {
			return Mono.just(invalidRequest("Uploads must be multipart/form-data with a 'file' and a 'purpose'.",
					"file"));
		}
		String[] segments = path.split("/");
		if (path.startsWith(FILES + "/") && "GET".equals(method)) {
			if (segments.length == 4) {
				return Mono.just(this.batches.retrieveFile(segments[3]));
			}
			if (segments.length == 5 && "content".equals(segments[4])) {
				return Mono.just(this.batches.fileContent(segments[3]));
			}
		}
		if (BATCHES.equals(path)) {
			if ("POST".equals(method)) {
				JsonNode body = parse(request.body());
				return (body != null) ? this.batches.create(body) : Mono.just(notJson());
			}
			if ("GET".equals(method)) {
				QueryStringDecoder query = new QueryStringDecoder(request.path());
				return this.batches.list(parameter(query, "limit"), parameter(query, "after"));
			}
		}
		if (path.startsWith(BATCHES + "/")) {
			if (segments.length == 4 && "GET".equals(method)) {
				return this.batches.retrieve(segments[3]);
			}
			if (segments.length == 5 && "cancel".equals(segments[4]) && "POST".equals(method)) {
				return this.batches.cancel(segments[3]);
			}
		}
		return Mono.just(error(404, "Unknown request URL: " + method + " " + path + ". The kluster.ai stand-in serves "
				+ "GET " + API_PREFIX + "/models, POST " + API_PREFIX + "/chat/completions, POST " + API_PREFIX
				+ "/embeddings, POST " + FILES + ", GET "
				+ FILES + "/{id}, GET " + FILES + "/{id}/content, POST and GET " + BATCHES + ", GET " + BATCHES
				+ "/{id} and POST " + BATCHES + "/{id}/cancel.", "invalid_request_error", null, "unknown_url"));
	}

	private static String pathOf(String uri) {
		String path = uri;
		int query = path.indexOf('?');
		if (query >= 0) {
			path = path.substring(0, query);
		}
		if (path.endsWith("/") && path.length() > 1) {
			path = path.substring(0, path.length() - 1);
		}
		return path;
	}

	private static @Nullable String parameter(QueryStringDecoder query, String name) {
		List<String> values = query.parameters().get(name);
		return (values != null && !values.isEmpty()) ? values.get(0) : null;
	}

	private StandInAnswer modelList() {
		Instant created = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		ObjectNode list = this.json.object();
		list.put("object", "list");
		ArrayNode data = list.putArray("data");
		this.chat.models().forEach((id) -> data.add(this.json.model(id, created, owner(id))));
		return ok(list);
	}

	private static String owner(String id) {
		int slash = id.indexOf('/');
		return (slash > 0) ? id.substring(0, slash) : "klusterai";
	}

	private StandInAnswer chatCompletion(String body, long number) {
		JsonNode root = parse(body);
		if (root == null) {
			return notJson();
		}
		StandInChat.Outcome outcome = this.chat.evaluate(root);
		if (outcome instanceof StandInChat.Refused refused) {
			return new StandInAnswer.Body(refused.status(), this.json.write(refused.body()), JSON);
		}
		StandInChat.Answered answered = (StandInChat.Answered) outcome;
		String id = "chatcmpl-standin-" + number;
		Instant created = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		if (root.path("metadata").path("@kluster.ai").path("async").asBoolean(false)) {
			StandInChat.Answered queued = new StandInChat.Answered(answered.model(), QUEUED_ANSWER,
					answered.promptWords(), 0);
			return ok(this.json.completion(id, created, queued));
		}
		if (root.path("stream").asBoolean(false)) {
			return new StandInAnswer.Events(this.json.chunks(id, created, answered));
		}
		return ok(this.json.completion(id, created, answered));
	}

	private StandInAnswer embeddings(String body) {
		JsonNode root = parse(body);
		if (root == null) {
			return notJson();
		}
		StandInEmbeddings.Outcome outcome = this.embeddings.evaluate(root);
		if (outcome instanceof StandInChat.Refused refused) {
			return new StandInAnswer.Body(refused.status(), this.json.write(refused.body()), JSON);
		}
		return ok(((StandInEmbeddings.Answered) outcome).body());
	}

	private @Nullable JsonNode parse(String body) {
		try {
			return this.json.mapper().readTree(body);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private StandInAnswer notJson() {
		return invalidRequest(
				"We could not parse the JSON body of your request. The kluster.ai stand-in expects a JSON object.",
				null);
	}

	private StandInAnswer ok(JsonNode body) {
		return new StandInAnswer.Body(200, this.json.write(body), JSON);
	}

	private StandInAnswer invalidRequest(String message, @Nullable String param) {
		return error(400, message, "invalid_request_error", param, null);
	}

	private StandInAnswer.Body error(int status, String message, String type, @Nullable String param,
			@Nullable String code) {
		return new StandInAnswer.Body(status, this.json.write(this.json.error(message, type, param, code)), JSON);
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
	 * The parts of one upload as they arrive. Touched by one request's pipeline only.
	 */
	private final class Upload {

		/** Where Netty writes the parts of this upload only, so that all can go at once. */
		private final Path directory;

		private @Nullable Path content;

		private @Nullable String filename;

		private @Nullable String purpose;

		private boolean recorded;

		Upload(Path directory) {
			this.directory = directory;
		}

		Path directory() {
			try {
				return Files.createDirectories(this.directory);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		void accept(HttpData data) {
			try {
				if (data instanceof FileUpload file && "file".equals(file.getName())) {
					forgetContent();
					Path target = KlusterStandIn.this.batches.newTemporaryPath();
					// Moves the part's temporary file when it is on disk, writes it otherwise.
					file.renameTo(target.toFile());
					this.content = target;
					this.filename = file.getFilename();
				}
				else if (data instanceof Attribute attribute && "purpose".equals(attribute.getName())) {
					this.purpose = attribute.getValue();
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/**
		 * Delete the content received so far and whatever Netty left in the upload's
		 * directory.
		 */
		void discard() {
			forgetContent();
			StandInBatches.deleteTree(this.directory);
		}

		private void forgetContent() {
			Path left = this.content;
			this.content = null;
			if (left != null) {
				StandInBatches.deleteQuietly(left);
			}
		}

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

}
