package dev.kluster.boot.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.commons.logging.impl.NoOpLog;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.util.retry.Retry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.client.ChatDefaults;
import dev.kluster.boot.client.EmbeddingDefaults;
import dev.kluster.boot.transport.HttpErrorMapper;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.error.KlusterException;
import dev.kluster.boot.transport.JsonAnswers;
import dev.kluster.boot.transport.KlusterFailures;
import dev.kluster.boot.error.KlusterInvalidResponseException;
import dev.kluster.boot.error.KlusterRedaction;
import dev.kluster.boot.error.KlusterTimeoutException;
import dev.kluster.boot.model.Batch;
import dev.kluster.boot.model.BatchCreateRequest;
import dev.kluster.boot.model.BatchList;
import dev.kluster.boot.model.BatchRequest;
import dev.kluster.boot.model.EmbeddingRequest;
import dev.kluster.boot.model.BatchResult;
import dev.kluster.boot.model.BatchStatus;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.KlusterFile;
import dev.kluster.boot.validation.EmbeddingRequestValidator;
import dev.kluster.boot.validation.KlusterEmbeddingRequestValidator;
import dev.kluster.boot.validation.KlusterRequestValidator;
import dev.kluster.boot.validation.KlusterValidationException;
import dev.kluster.boot.validation.RequestValidator;
import dev.kluster.boot.validation.ValidationPolicy;
import dev.kluster.boot.validation.Violation;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.StringDecoder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.log.LogMessage;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import dev.kluster.boot.error.KlusterBatchNotCompletedException;
import dev.kluster.boot.model.BatchOptions;
import dev.kluster.boot.observation.KlusterBatchObservationContext;
import dev.kluster.boot.observation.KlusterObservations;

/**
 * {@link KlusterBatchClient} on Spring's {@link WebClient}, made with a
 * {@link #builder(KlusterConnection) builder} on a {@link KlusterConnection}. The
 * connection's {@code WebClient} carries the base URL, the {@code Authorization} header
 * and the redirect policy it shares with the chat client; this class adds the
 * JSON Lines encoding and decoding, validation before upload, polling and the mapping of
 * every failure to a {@link KlusterException}.
 * <p>
 * An upload is a multipart body whose file part is a {@link Flux} of one buffer per
 * request, written as the requests arrive; a download is split into lines by a
 * {@link StringDecoder} as its buffers arrive. Neither ever holds more than a line or a
 * network buffer, whatever the size of the batch.
 * <p>
 * Each call runs in an observation of its own, as the {@link KlusterObservations} of the
 * connection describe, from subscription to the end of the returned publisher; the calls
 * it makes to this client, such as the upload within {@link #run(Flux, BatchOptions)},
 * are part of it.
 *
 * @since 0.1.0
 */
public final class DefaultKlusterBatchClient implements KlusterBatchClient {

	/** Property whose limit a {@link KlusterTimeoutException} of this client names. */
	static final String REQUEST_TIMEOUT_PROPERTY = "kluster.batch.request-timeout";

	private static final Log logger = LogFactory.getLog(DefaultKlusterBatchClient.class);

	private static final MediaType JSON_LINES = MediaType.parseMediaType("application/jsonl");

	private static final String FILENAME = "batch.jsonl";

	private static final ResolvableType STRING = ResolvableType.forClass(String.class);

	private final Supplier<WebClient> webClient;

	private final JsonMapper jsonMapper;

	private final SingletonSupplier<ObjectWriter> lineWriter;

	private final RequestValidator validator;

	private final ChatDefaults defaults;

	private final EmbeddingRequestValidator embeddingValidator;

	private final EmbeddingDefaults embeddingDefaults;

	private final HttpErrorMapper errorMapper;

	private final KlusterBatchSettings settings;

	// Most bytes of an answer other than a result file held in memory.
	private final int maxAnswerSize;

	private final KlusterObservations observations;

	// Made on the first read of results, not at start-up.
	private final SingletonSupplier<StringDecoder> lineDecoder;

	private DefaultKlusterBatchClient(Builder builder) {
		KlusterConnection connection = builder.connection;
		JsonMapper jsonMapper = connection.jsonMapper();
		KlusterBatchSettings settings = builder.settings;
		this.observations = connection.observations();
		this.webClient = connection::webClient;
		this.maxAnswerSize = connection.maxResponseSize();
		this.jsonMapper = jsonMapper;
		// One request per line: an application mapper that pretty-prints would break the
		// file into fragments that are not JSON. Built on first use: it walks the model.
		this.lineWriter = SingletonSupplier
			.of(() -> jsonMapper.writerFor(BatchRequest.class).without(SerializationFeature.INDENT_OUTPUT));
		this.validator = builder.validator;
		this.defaults = builder.defaults;
		this.embeddingValidator = builder.embeddingValidator;
		this.embeddingDefaults = builder.embeddingDefaults;
		this.errorMapper = connection.errorMapper();
		this.settings = settings;
		this.lineDecoder = SingletonSupplier.of(() -> {
			StringDecoder decoder = StringDecoder.allMimeTypes(List.of("\n"), true);
			decoder.setMaxInMemorySize((int) settings.maxResultLineSize().toBytes());
			// It would log each line it decoded (at DEBUG, whole at TRACE): model output, and
			// whatever a server echoes, before this client could redact it.
			decoder.setLogger(new NoOpLog());
			return decoder;
		});
	}

	/**
	 * A builder of a client on a {@link KlusterConnection}, with the defaults of the
	 * auto-configuration; the connection's {@code WebClient} is first asked for on the
	 * first call, and the calls are observed as the connection's
	 * {@link KlusterObservations} describe.
	 * @param connection the way to kluster.ai
	 * @return the builder
	 */
	public static Builder builder(KlusterConnection connection) {
		return new Builder(connection);
	}

	private WebClient webClient() {
		return this.webClient.get();
	}

	// Each public call runs in an observation of its own; the calls a call makes to this
	// client, such as the upload within run, are the private methods below, and so part
	// of the outer call's observation.

	// Files

	@Override
	public Mono<KlusterFile> upload(Flux<BatchRequest> requests) {
		return observe(() -> context(KlusterBatchObservationContext.UPLOAD, null, null),
				(context) -> uploadFile(requests, context));
	}

	@Override
	public Mono<KlusterFile> file(String fileId) {
		return observe(() -> context(KlusterBatchObservationContext.FILE, null, fileId),
				(context) -> call(webClient().get().uri("/files/{id}", fileId), KlusterFile.class));
	}

	private Mono<KlusterFile> uploadFile(Flux<BatchRequest> requests, @Nullable KlusterBatchObservationContext context) {
		return Mono.defer(() -> uploadFile(requests, context, new LineEncoder(null)));
	}

	private Mono<KlusterFile> uploadFile(Flux<BatchRequest> requests, @Nullable KlusterBatchObservationContext context,
			LineEncoder encoder) {
		Flux<BatchRequest> counted = (context != null) ? requests.doOnNext((request) -> context.requestWritten())
				: requests;
		return Mono.defer(() -> {
			// The body ends with the part's closing boundary only after the last request
			// passed: any failure before that breaks off the upload, and a server never
			// keeps a multipart body that is cut short.
			Flux<DataBuffer> lines = counted.map(encoder::encode)
				.concatWith(Mono.defer(encoder::refuseEmpty))
				.doOnError(encoder::failed);
			MultipartBodyBuilder parts = new MultipartBodyBuilder();
			parts.part("purpose", "batch");
			parts.asyncPart("file", lines, DataBuffer.class).filename(FILENAME).contentType(JSON_LINES);
			return webClient().post()
				.uri("/files")
				.contentType(MediaType.MULTIPART_FORM_DATA)
				.accept(MediaType.APPLICATION_JSON)
				.body(BodyInserters.fromMultipartData(parts.build()))
				.exchangeToMono((response) -> answer(response, KlusterFile.class))
				.doOnNext((file) -> logger.debug(LogMessage.format("Uploaded %d batch requests (%d bytes) as %s",
						encoder.lines, encoder.bytes, file.id())))
				// The WebClient reports a failed body in its own words: the cause is ours.
				.onErrorMap((ex) -> (encoder.failure != null) ? encoder.failure : translate(ex));
		}).doOnNext((file) -> {
			if (context != null) {
				context.setFileId(file.id());
				context.setUploaded();
			}
		});
	}

	// Batches

	@Override
	public Mono<Batch> create(String inputFileId, BatchOptions options) {
		return observe(() -> context(KlusterBatchObservationContext.CREATE, null, inputFileId),
				(context) -> createBatch(inputFileId, options, context));
	}

	private Mono<Batch> createBatch(String inputFileId, BatchOptions options,
			@Nullable KlusterBatchObservationContext context) {
		String window = (options.completionWindow() != null) ? options.completionWindow()
				: this.settings.completionWindow();
		String endpoint = (options.endpoint() != null) ? options.endpoint() : BatchRequest.CHAT_COMPLETIONS;
		BatchCreateRequest body = new BatchCreateRequest(inputFileId, endpoint, window,
				options.metadata().isEmpty() ? null : options.metadata());
		return noting(call(webClient().post()
			.uri("/batches")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body), Batch.class), context);
	}

	@Override
	public Mono<Batch> submit(Flux<BatchRequest> requests, BatchOptions options) {
		return observe(() -> context(KlusterBatchObservationContext.SUBMIT, null, null),
				(context) -> submitBatch(requests, options, context));
	}

	private Mono<Batch> submitBatch(Flux<BatchRequest> requests, BatchOptions options,
			@Nullable KlusterBatchObservationContext context) {
		// The batch's endpoint is that of its lines: known once the first was written.
		return Mono.defer(() -> {
			LineEncoder encoder = new LineEncoder(options.endpoint());
			return uploadFile(requests, context, encoder)
				.flatMap((file) -> createBatch(file.id(), options.endpoint(encoder.endpoint()), context));
		})
			// Waiting may stop before the batch ends, but the batch goes on and is billed:
			// its id must be findable.
			.doOnNext((batch) -> logger.info(LogMessage.format("Created kluster.ai batch %s of file %s (completion "
					+ "window %s)", batch.id(), batch.inputFileId(), batch.completionWindow())));
	}

	@Override
	public Mono<Batch> retrieve(String batchId) {
		return observe(() -> context(KlusterBatchObservationContext.RETRIEVE, batchId, null),
				(context) -> noting(retrieveBatch(batchId), context));
	}

	private Mono<Batch> retrieveBatch(String batchId) {
		return call(webClient().get().uri("/batches/{id}", batchId), Batch.class);
	}

	@Override
	public Mono<Batch> cancel(String batchId) {
		return observe(() -> context(KlusterBatchObservationContext.CANCEL, batchId, null),
				(context) -> noting(call(webClient().post().uri("/batches/{id}/cancel", batchId), Batch.class),
						context));
	}

	@Override
	public Flux<Batch> list(int pageSize) {
		Assert.isTrue(pageSize >= 1 && pageSize <= 100, () -> "pageSize must be between 1 and 100: " + pageSize);
		return observeMany(() -> context(KlusterBatchObservationContext.LIST, null, null), (context) -> {
			Cursor cursor = new Cursor();
			// With no prefetch, concatMap asks for the next page only once the previous
			// page's batches have all been taken.
			return Flux.<Mono<BatchList>>generate((sink) -> {
				if (cursor.done) {
					sink.complete();
				}
				else {
					sink.next(Mono.defer(() -> page(pageSize, cursor.after)));
				}
			}).concatMap((page) -> page.doOnNext(cursor::advance).flatMapIterable(BatchList::data), 0);
		});
	}

	private Mono<BatchList> page(int pageSize, @Nullable String after) {
		return call(webClient().get()
			.uri((uri) -> uri.path("/batches")
				.queryParam("limit", pageSize)
				.queryParamIfPresent("after", Optional.ofNullable(after))
				.build()), BatchList.class);
	}

	@Override
	public Flux<Batch> awaitCompletion(String batchId) {
		return observeMany(() -> context(KlusterBatchObservationContext.AWAIT_COMPLETION, batchId, null),
				(context) -> awaitBatch(batchId, context));
	}

	private Flux<Batch> awaitBatch(String batchId, @Nullable KlusterBatchObservationContext context) {
		return Flux.defer(() -> {
			Poll poll = new Poll();
			return Mono.defer(() -> retrieveBatch(batchId))
				.retryWhen(pollRetry())
				.filter(poll::changed)
				.repeatWhen((polls) -> polls.concatMap((polled) -> Mono.delay(poll.pause)))
				.takeUntil(Batch::isTerminal);
		}).doOnNext((batch) -> {
			if (context != null) {
				context.setBatch(batch);
			}
		});
	}

	/**
	 * Retry a poll that failed for a reason that may pass, by the one rule of
	 * {@link KlusterFailures#isTransient(Throwable, boolean)}. A batch runs for hours: one
	 * lost poll must not end the wait.
	 */
	private Retry pollRetry() {
		return Retry.backoff(this.settings.maxPollRetries(), this.settings.pollInterval())
			.maxBackoff(this.settings.maxPollInterval())
			// A poll is a GET that costs kluster.ai next to nothing: one that timed out may
			// be sent again, unlike a chat completion.
			.filter((ex) -> KlusterFailures.isTransient(ex, true))
			.onRetryExhaustedThrow((spec, signal) -> signal.failure());
	}

	// Results

	@Override
	public Flux<BatchResult> results(Batch batch) {
		return observeMany(() -> context(KlusterBatchObservationContext.RESULTS, batch.id(), batch.outputFileId()),
				(context) -> resultsOf(batch, context));
	}

	private Flux<BatchResult> resultsOf(Batch batch, @Nullable KlusterBatchObservationContext context) {
		Flux<BatchResult> output = (batch.outputFileId() != null) ? readResultFile(batch.outputFileId(), context)
				: Flux.empty();
		Flux<BatchResult> errors = (batch.errorFileId() != null) ? readResultFile(batch.errorFileId(), context)
				: Flux.empty();
		return output.concatWith(errors);
	}

	@Override
	public Flux<BatchResult> readResults(String fileId) {
		return observeMany(() -> context(KlusterBatchObservationContext.READ_RESULTS, null, fileId),
				(context) -> readResultFile(fileId, context));
	}

	private Flux<BatchResult> readResultFile(String fileId, @Nullable KlusterBatchObservationContext context) {
		Flux<BatchResult> results = Flux.defer(() -> {
			ResultReader reader = new ResultReader(fileId);
			Flux<DataBuffer> content = webClient().get()
				.uri("/files/{id}/content", fileId)
				.accept(MediaType.ALL)
				.retrieve()
				.onStatus(HttpErrorMapper::isFailure, this.errorMapper::toException)
				.bodyToFlux(DataBuffer.class)
				// A limit on silence, not on the whole download, which can be long.
				.timeout(this.settings.requestTimeout());
			return this.lineDecoder.obtain().decode(content, STRING, null, null).<BatchResult>handle(reader::read);
		}).onErrorMap((ex) -> (ex instanceof DataBufferLimitException) ? new KlusterInvalidResponseException(
				"A line of result file " + fileId + " is longer than " + this.settings.maxResultLineSize().toBytes()
						+ " bytes (kluster.batch.max-result-line-size)",
				ex) : translate(ex));
		return (context != null) ? results.doOnNext(context::resultRead) : results;
	}

	@Override
	public Flux<BatchResult> run(Flux<BatchRequest> requests, BatchOptions options) {
		return observeMany(() -> context(KlusterBatchObservationContext.RUN, null, null),
				(context) -> submitBatch(requests, options, context)
					.flatMap((batch) -> awaitBatch(batch.id(), context).last())
					.flatMapMany((batch) -> resultsOfEnded(batch, context)));
	}

	private Flux<BatchResult> resultsOfEnded(Batch batch, @Nullable KlusterBatchObservationContext context) {
		if (batch.status() == BatchStatus.COMPLETED) {
			return resultsOf(batch, context);
		}
		Flux<BatchResult> done = (batch.status() == BatchStatus.FAILED) ? Flux.empty() : resultsOf(batch, context);
		return done.concatWith(Mono.error(() -> new KlusterBatchNotCompletedException(batch, this.errorMapper.redaction())));
	}

	// Observation

	private <T> Mono<T> observe(Supplier<KlusterBatchObservationContext> context,
			Function<@Nullable KlusterBatchObservationContext, Mono<T>> call) {
		return this.observations.observe(context, call);
	}

	private <T> Flux<T> observeMany(Supplier<KlusterBatchObservationContext> context,
			Function<@Nullable KlusterBatchObservationContext, Flux<T>> call) {
		return this.observations.observeMany(context, call);
	}

	private KlusterBatchObservationContext context(String operation, @Nullable String batchId,
			@Nullable String fileId) {
		KlusterBatchObservationContext context = this.observations.batchContext(operation);
		context.setBatchId(batchId);
		context.setFileId(fileId);
		return context;
	}

	private static Mono<Batch> noting(Mono<Batch> call, @Nullable KlusterBatchObservationContext context) {
		return (context != null) ? call.doOnNext(context::setBatch) : call;
	}

	// Helpers

	private <T> Mono<T> call(WebClient.RequestHeadersSpec<?> request, Class<T> type) {
		return request.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono((response) -> answer(response, type))
			.timeout(this.settings.requestTimeout())
			.onErrorMap(this::translate);
	}

	private <T> Mono<T> answer(ClientResponse response, Class<T> type) {
		if (HttpErrorMapper.isFailure(response.statusCode())) {
			return this.errorMapper.toException(response).flatMap(Mono::error);
		}
		return JsonAnswers.read(response, this.jsonMapper.readerFor(type), this.maxAnswerSize,
				this.errorMapper.redaction(), "a " + type.getSimpleName());
	}

	/**
	 * Check a request before its line is written.
	 * @param request the request
	 * @param line its position in the batch, from 1
	 * @return the request to write: the given one, or a copy with the defaults filled in
	 */
	private BatchRequest prepare(BatchRequest request, long line, String endpoint) {
		List<Violation> violations = new ArrayList<>(0);
		if (request.customId().isBlank()) {
			violations.add(new Violation("custom_id", "must not be blank", "results are matched to requests by it"));
		}
		if (!"POST".equals(request.method())) {
			violations.add(new Violation("method", "must be POST, was " + request.method(), null));
		}
		String url = request.isEmbedding() ? BatchRequest.EMBEDDINGS : BatchRequest.CHAT_COMPLETIONS;
		if (!url.equals(request.url())) {
			violations.add(new Violation("url", "must be " + url + ", was " + request.url(),
					"the endpoint of " + (request.isEmbedding() ? "embedding" : "chat completion") + " requests"));
		}
		else if (!endpoint.equals(url)) {
			violations.add(new Violation("url", "must be the batch's endpoint " + endpoint + ", was " + url,
					"kluster.ai runs the requests of one batch on one endpoint: submit chat completions and "
							+ "embeddings in batches of their own"));
		}
		if (request.isEmbedding()) {
			EmbeddingRequest body = validBody(this.embeddingValidator::validate,
					this.embeddingDefaults.applyTo(Objects.requireNonNull(request.embeddingBody())), violations);
			refuseIfBroken(request, line, violations);
			return (body == request.embeddingBody()) ? request : request.withBody(body);
		}
		ChatCompletionRequest body = this.defaults.applyTo(Objects.requireNonNull(request.body()));
		if (Boolean.TRUE.equals(body.stream())) {
			violations.add(new Violation("body.stream", "is not supported in a batch",
					"remove it: batch results are files, never streams"));
		}
		body = validBody(this.validator::validate, body, violations);
		refuseIfBroken(request, line, violations);
		return (body == request.body()) ? request : request.withBody(body);
	}

	// The body as validation returns it; what it refuses is added with paths inside the line.
	private static <B> B validBody(UnaryOperator<B> validator, B body, List<Violation> violations) {
		try {
			return validator.apply(body);
		}
		catch (KlusterValidationException ex) {
			ex.violations()
				.forEach((violation) -> violations
					.add(new Violation("body." + violation.path(), violation.message(), violation.hint())));
			return body;
		}
	}

	private static void refuseIfBroken(BatchRequest request, long line, List<Violation> violations) {
		if (!violations.isEmpty()) {
			throw new KlusterBatchValidationException(request.customId(), line, violations);
		}
	}

	private Throwable translate(Throwable ex) {
		return KlusterFailures.translate(ex, REQUEST_TIMEOUT_PROPERTY, this.settings.requestTimeout(), null,
				this.errorMapper.redaction());
	}

	/**
	 * Builder of a {@link DefaultKlusterBatchClient}. Its defaults are those of the
	 * auto-configuration with no {@code kluster.*} property set.
	 */
	public static final class Builder {

		private final KlusterConnection connection;

		private RequestValidator validator = new KlusterRequestValidator(ValidationPolicy.defaults());

		private ChatDefaults defaults = ChatDefaults.defaults();

		private EmbeddingRequestValidator embeddingValidator = new KlusterEmbeddingRequestValidator(
				ValidationPolicy.defaults());

		private EmbeddingDefaults embeddingDefaults = EmbeddingDefaults.NONE;

		private KlusterBatchSettings settings = KlusterBatchSettings.defaults();

		private Builder(KlusterConnection connection) {
			Assert.notNull(connection, "connection must not be null");
			this.connection = connection;
		}

		/**
		 * The validation applied to each request before it is uploaded. Defaults to a
		 * {@link KlusterRequestValidator} with {@link ValidationPolicy#defaults()}.
		 * @param validator the validator
		 * @return this builder
		 */
		public Builder validator(RequestValidator validator) {
			Assert.notNull(validator, "validator must not be null");
			this.validator = validator;
			return this;
		}

		/**
		 * The values that fill what requests leave unset, as for real-time chat. Defaults
		 * to {@link ChatDefaults#defaults()}.
		 * @param defaults the defaults
		 * @return this builder
		 */
		public Builder defaults(ChatDefaults defaults) {
			Assert.notNull(defaults, "defaults must not be null");
			this.defaults = defaults;
			return this;
		}

		/**
		 * The validation applied to each embedding request before it is uploaded.
		 * Defaults to a {@link KlusterEmbeddingRequestValidator} with
		 * {@link ValidationPolicy#defaults()}.
		 * @param validator the validator
		 * @return this builder
		 */
		public Builder embeddingValidator(EmbeddingRequestValidator validator) {
			Assert.notNull(validator, "validator must not be null");
			this.embeddingValidator = validator;
			return this;
		}

		/**
		 * The values that fill what embedding requests leave unset, as for real-time
		 * embeddings. Defaults to {@link EmbeddingDefaults#NONE}.
		 * @param defaults the defaults
		 * @return this builder
		 */
		public Builder embeddingDefaults(EmbeddingDefaults defaults) {
			Assert.notNull(defaults, "defaults must not be null");
			this.embeddingDefaults = defaults;
			return this;
		}

		/**
		 * Polling, limits and timeouts. Defaults to {@link KlusterBatchSettings#defaults()}.
		 * @param settings the settings
		 * @return this builder
		 */
		public Builder settings(KlusterBatchSettings settings) {
			Assert.notNull(settings, "settings must not be null");
			this.settings = settings;
			return this;
		}

		/**
		 * Build the client.
		 * @return the client
		 */
		public DefaultKlusterBatchClient build() {
			return new DefaultKlusterBatchClient(this);
		}

	}

	/**
	 * The lines of one upload: validated, encoded and counted against the size limit as
	 * they are written.
	 */
	private final class LineEncoder {

		// The batch's endpoint: the one asked for, else the first line's.
		private @Nullable String endpoint;

		private long lines;

		private long bytes;

		private volatile @Nullable Throwable failure;

		LineEncoder(@Nullable String endpoint) {
			this.endpoint = endpoint;
		}

		@Nullable String endpoint() {
			return this.endpoint;
		}

		DataBuffer encode(BatchRequest request) {
			long line = ++this.lines;
			if (this.endpoint == null) {
				this.endpoint = request.url();
			}
			byte[] json;
			try {
				json = DefaultKlusterBatchClient.this.lineWriter.obtain()
					.writeValueAsBytes(prepare(request, line, this.endpoint));
			}
			catch (JacksonException ex) {
				throw new KlusterException("Batch not uploaded: request '" + request.customId() + "' (line " + line
						+ ") could not be written as JSON: " + ex.getOriginalMessage(), ex);
			}
			long limit = DefaultKlusterBatchClient.this.settings.maxFileSize().toBytes();
			if (this.bytes + json.length + 1 > limit) {
				throw new KlusterBatchTooLargeException(request.customId(), line, limit);
			}
			this.bytes += json.length + 1;
			DataBuffer buffer = DefaultDataBufferFactory.sharedInstance.allocateBuffer(json.length + 1);
			return buffer.write(json).write((byte) '\n');
		}

		Mono<DataBuffer> refuseEmpty() {
			return (this.lines > 0) ? Mono.empty()
					: Mono.error(new KlusterException("Batch not uploaded: it has no requests"));
		}

		void failed(Throwable ex) {
			this.failure = ex;
		}

	}

	/**
	 * The cursor of one listing.
	 */
	private static final class Cursor {

		private @Nullable String after;

		private boolean done;

		void advance(BatchList page) {
			this.after = page.nextCursor();
			this.done = (this.after == null);
		}

	}

	/**
	 * What one wait has seen, and how long to pause before the next poll.
	 */
	private final class Poll {

		private @Nullable Batch last;

		private Duration pause = DefaultKlusterBatchClient.this.settings.pollInterval();

		boolean changed(Batch batch) {
			Batch previous = this.last;
			boolean changed = previous == null || previous.status() != batch.status()
					|| !Objects.equals(previous.requestCounts(), batch.requestCounts());
			this.last = batch;
			KlusterBatchSettings settings = DefaultKlusterBatchClient.this.settings;
			if (changed) {
				this.pause = settings.pollInterval();
			}
			else {
				Duration longer = Duration
					.ofNanos((long) Math.min(this.pause.toNanos() * settings.pollBackoffMultiplier(), Long.MAX_VALUE));
				this.pause = (longer.compareTo(settings.maxPollInterval()) < 0) ? longer : settings.maxPollInterval();
			}
			return changed;
		}

	}

	/**
	 * The lines of one result file, parsed as they arrive.
	 */
	private final class ResultReader {

		private final String fileId;

		private long lines;

		ResultReader(String fileId) {
			this.fileId = fileId;
		}

		void read(String line, SynchronousSink<BatchResult> sink) {
			long number = ++this.lines;
			String text = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
			if (text.isBlank()) {
				return;
			}
			try {
				BatchResult result = DefaultKlusterBatchClient.this.jsonMapper.readValue(text, BatchResult.class);
				if (result == null) {
					sink.error(new KlusterInvalidResponseException(
							"Line " + number + " of result file " + this.fileId + " is the JSON null, not a batch result",
							null));
					return;
				}
				sink.next((result.isFailure() && result.error() == null) ? result.withError(errorOf(text, result))
						: result);
			}
			catch (JacksonException ex) {
				KlusterRedaction redaction = DefaultKlusterBatchClient.this.errorMapper.redaction();
				sink.error(new KlusterInvalidResponseException("Line " + number + " of result file " + this.fileId
						+ " is not a batch result: " + redaction.excerpt(text),
						redaction.redact(ex)));
			}
		}

		/**
		 * Name the error of a failed request that has a response but no error: an error
		 * response, whose body says what went wrong in OpenAI's shape.
		 */
		private BatchResult.Error errorOf(String line, BatchResult result) {
			BatchResult.Response response = result.response();
			if (response == null) {
				return new BatchResult.Error(null, "The result has neither a response nor an error");
			}
			JsonNode error = DefaultKlusterBatchClient.this.jsonMapper.readTree(line)
				.path("response")
				.path("body")
				.path("error");
			String code = error.path("code").asString(null);
			String message = error.path("message").asString(null);
			if (message == null) {
				message = response.isSuccessful() ? "The response has no completion"
						: "kluster.ai answered HTTP " + response.statusCode();
			}
			return new BatchResult.Error((code != null) ? code : error.path("type").asString(null), message);
		}

	}

}
