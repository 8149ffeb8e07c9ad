package dev.kluster.boot.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionChunk;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.KlusterModel;
import dev.kluster.boot.model.ModelList;
import dev.kluster.boot.model.KlusterOptions;
import dev.kluster.boot.model.QueuedChatCompletion;
import dev.kluster.boot.observation.KlusterChatObservationContext;
import dev.kluster.boot.observation.KlusterObservations;
import dev.kluster.boot.validation.KlusterRequestValidator;
import dev.kluster.boot.validation.KlusterValidationException;
import dev.kluster.boot.validation.RequestValidator;
import dev.kluster.boot.validation.ValidationPolicy;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import dev.kluster.boot.error.KlusterException;
import dev.kluster.boot.error.KlusterInvalidResponseException;
import dev.kluster.boot.error.KlusterRedaction;
import dev.kluster.boot.error.KlusterTimeoutException;
import dev.kluster.boot.transport.HttpErrorMapper;
import dev.kluster.boot.transport.JsonAnswers;
import dev.kluster.boot.transport.KlusterConcurrencyLimit;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterRateLimit;
import dev.kluster.boot.transport.KlusterRetry;
import dev.kluster.boot.transport.KlusterTimeouts;

/**
 * {@link KlusterChatClient} on Spring's {@link WebClient}, made with a
 * {@link #builder(KlusterConnection) builder} on a {@link KlusterConnection}. The
 * connection's {@code WebClient} carries the base URL and the authorization (and, when
 * configured, the {@link KlusterConcurrencyLimit}); this class adds the request defaults,
 * validation before sending, server-sent event decoding, the {@link KlusterTimeouts time
 * limits}, the {@link KlusterRetry retries} and the mapping of every failure to a
 * {@link KlusterException}.
 * <p>
 * Each call that passed validation runs in a Micrometer observation, as the
 * {@link KlusterObservations} of the connection describe it. The {@code WebClient}'s own
 * HTTP observation is its child, streams included. With a no-op registry the client does
 * no observation work at all.
 * <p>
 * What a call needs is made on the first call, not when the client is built;
 * {@link #warmUp()} makes it ahead of that call, as the auto-configuration does in the
 * background once the application is ready.
 *
 * @since 0.1.0
 */
public final class DefaultKlusterChatClient implements KlusterChatClient {

	private static final String CHAT_COMPLETIONS = "/chat/completions";

	/**
	 * How long the rest of a stream's body is read after {@code data: [DONE]}, so that a
	 * body whose end follows lets its connection be reused; cancelled after that.
	 */
	static final Duration BODY_END_GRACE = Duration.ofSeconds(1);

	private final KlusterConnection connection;

	private final Supplier<WebClient> webClient;

	// The connection's WebClient, for streams: their bodies are released by the watch
	// that reads them to their end (see CompleteAtEnd).
	private final Supplier<WebClient> streamWebClient;

	private final JsonMapper jsonMapper;

	// Resolved once, on first use: readers and writers bound to a type skip the per-call
	// type lookup, and building them walks the whole model, which start-up need not pay.
	private final SingletonSupplier<ObjectWriter> requestWriter;

	private final SingletonSupplier<ObjectReader> completionReader;

	private final SingletonSupplier<ObjectReader> chunkReader;

	private final SingletonSupplier<ObjectReader> modelsReader;

	// Absolute, so that no URI template is expanded per call.
	private final URI chatCompletionsUri;

	private final int maxResponseSize;

	private final RequestValidator validator;

	private final ChatDefaults defaults;

	private final KlusterTimeouts timeouts;

	private final KlusterRetry retry;

	private final KlusterCalls calls;

	private final KlusterRedaction redaction;

	private final KlusterObservations observations;

	private final StreamTimeouts streamTimeouts;

	private final @Nullable KlusterRateLimit rateLimit;

	private DefaultKlusterChatClient(Builder builder) {
		KlusterConnection connection = builder.connection;
		JsonMapper jsonMapper = connection.jsonMapper();
		this.connection = connection;
		this.webClient = connection::webClient;
		this.streamWebClient = SingletonSupplier
			.of(() -> connection.webClient().mutate().filter(CompleteAtEnd.BODY_RELEASED_BY_WATCH).build());
		this.jsonMapper = jsonMapper;
		this.requestWriter = SingletonSupplier.of(() -> jsonMapper.writerFor(ChatCompletionRequest.class));
		this.completionReader = SingletonSupplier.of(() -> jsonMapper.readerFor(ChatCompletion.class));
		this.chunkReader = SingletonSupplier.of(() -> jsonMapper.readerFor(ChatCompletionChunk.class));
		this.modelsReader = SingletonSupplier.of(() -> jsonMapper.readerFor(ModelList.class));
		this.chatCompletionsUri = URI.create(connection.baseUrl() + CHAT_COMPLETIONS);
		this.maxResponseSize = connection.maxResponseSize();
		this.validator = builder.validator;
		this.defaults = builder.defaults;
		this.timeouts = builder.timeouts;
		this.retry = builder.retry;
		this.calls = new KlusterCalls(connection, this.timeouts, this.retry);
		this.redaction = this.calls.redaction();
		// The connection's: a client built on the auto-configured connection is observed
		// as the auto-configured client is.
		this.observations = connection.observations();
		this.rateLimit = connection.rateLimit();
		this.streamTimeouts = new StreamTimeouts(this.timeouts.response(), this.timeouts.streamIdle());
	}

	/**
	 * A builder of a client on a {@link KlusterConnection}, with the defaults of the
	 * auto-configuration; its calls are observed as the connection's
	 * {@link KlusterObservations} describe.
	 * @param connection the way to kluster.ai
	 * @return the builder
	 */
	public static Builder builder(KlusterConnection connection) {
		return new Builder(connection);
	}

	/**
	 * Prepare what the first call would otherwise prepare, without sending anything to
	 * kluster.ai and without observing anything: run the validator on a sample request
	 * filled with the defaults, write it with the request writer, read a sample completion
	 * and a sample stream with the readers and the stream decoder, pass through the time
	 * limits and the retry, and last {@link KlusterConnection#warmUp() warm up the
	 * connection}, so that once this returns {@link KlusterConnection#isWarm()} is
	 * {@code true}. Blocks until done, so call it from a thread that may block.
	 * @throws RuntimeException if something the first call needs cannot be made, as that
	 * call would then fail
	 */
	public void warmUp() {
		ChatCompletionRequest sample = fill(WarmUpSamples.REQUEST, Boolean.TRUE);
		try {
			sample = this.validator.validate(sample);
		}
		catch (KlusterValidationException ex) {
			// Defaults that no request passes: every call reports them, and the sample is
			// still written.
		}
		write(sample);
		// Read as real answers are: from the body of a ClientResponse.
		readCompletion(WarmUpAnswers.answer(WarmUpSamples.COMPLETION, MediaType.APPLICATION_JSON)).block();
		new ChunkStream<>(WarmUpAnswers.answer(WarmUpSamples.STREAM, MediaType.TEXT_EVENT_STREAM)
			.body(BodyExtractors.toDataBuffers()), this::chunk, this.maxResponseSize, this.streamTimeouts, () -> {
			}, new ChunkStream.Progress()).blockLast();
		this.modelsReader.obtain();
		this.streamWebClient.get();
		withinTotal(attempt(Mono.empty())).block();
		this.connection.warmUp();
	}

	@Override
	public Mono<ChatCompletion> chat(ChatCompletionRequest request) {
		// Validated and written once, before the observation: a refused request is no call
		// of kluster.ai, and is not retried.
		return Mono.defer(() -> {
			ChatCompletionRequest validated = validate(fill(request, null));
			byte[] body = write(validated);
			return this.observations.observe(() -> chatContext(validated, false), (context) -> {
				Mono<ChatCompletion> completion = withinTotal(attempt(Mono.defer(() -> post(validated, body, MediaType.APPLICATION_JSON)
					.exchangeToMono((response) -> isNotAnswer(response.statusCode())
							? this.<ChatCompletion>failure(response) : readCompletion(response)))));
				completion = paced(validated, body, completion);
				return (context != null) ? completion.doOnNext(context::setResponse) : completion;
			});
		});
	}

	@Override
	public Mono<QueuedChatCompletion> submitAsync(ChatCompletionRequest request) {
		return Mono.defer(() -> {
			ChatCompletionRequest filled = fill(request, null);
			KlusterOptions options = filled.klusterOptions();
			KlusterOptions async = (options != null) ? new KlusterOptions(Boolean.TRUE, options.completionWindow(),
					options.strictCompletionWindow(), options.callbackUrl())
					: KlusterOptions.builder().async(Boolean.TRUE).build();
			ChatCompletionRequest validated = validate(filled.toBuilder().klusterOptions(async).build());
			byte[] body = write(validated);
			// Not retried: a job queued twice would run, and be billed, twice.
			return this.observations.observe(() -> chatContext(validated, false),
					(context) -> withinTotal(once(Mono.defer(() -> post(validated, body, MediaType.APPLICATION_JSON)
						.exchangeToMono((response) -> isNotAnswer(response.statusCode())
								? this.<QueuedChatCompletion>failure(response)
								: readCompletion(response).map((completion) -> queued(completion, response)))))));
		});
	}

	// kluster.ai answers a queued request at once with a completion whose text only says
	// that it was queued: a handle to the job, not an answer.
	private QueuedChatCompletion queued(ChatCompletion completion, ClientResponse response) {
		String requestId = this.redaction
			.redact(response.headers().asHttpHeaders().getFirst(HttpErrorMapper.REQUEST_ID_HEADER));
		return new QueuedChatCompletion(completion.id(), completion.model(), completion.created(), completion.text(),
				requestId);
	}

	private KlusterChatObservationContext chatContext(@Nullable ChatCompletionRequest request, boolean streaming) {
		return this.observations.chatContext(
				(request != null) ? KlusterChatObservationContext.CHAT : KlusterChatObservationContext.LIST_MODELS,
				request, streaming);
	}

	private WebClient.RequestHeadersSpec<?> post(ChatCompletionRequest request, byte[] body, MediaType accept) {
		return post(webClient(), request, body, accept);
	}

	private WebClient.RequestHeadersSpec<?> post(WebClient webClient, ChatCompletionRequest request, byte[] body,
			MediaType accept) {
		return KlusterCalls.post(webClient, this.chatCompletionsUri, body, accept, this.rateLimit, request.model(),
				maxCompletionTokens(request));
	}

	private static long estimate(ChatCompletionRequest request, byte[] body) {
		return KlusterRateLimit.estimateTokens(body.length, maxCompletionTokens(request));
	}

	private static @Nullable Integer maxCompletionTokens(ChatCompletionRequest request) {
		return (request.maxCompletionTokens() != null) ? request.maxCompletionTokens() : request.maxTokens();
	}

	// The tokens budget learns what a completion really used.
	private Mono<ChatCompletion> paced(ChatCompletionRequest request, byte[] body, Mono<ChatCompletion> completion) {
		KlusterRateLimit rateLimit = this.rateLimit;
		if (rateLimit == null) {
			return completion;
		}
		return completion.doOnNext((answer) -> {
			if (answer.usage() != null) {
				rateLimit.correct(request.model(), estimate(request, body), answer.usage().totalTokens());
			}
		});
	}

	private WebClient webClient() {
		return this.webClient.get();
	}

	private byte[] write(ChatCompletionRequest validated) {
		return KlusterCalls.write(this.requestWriter.obtain(), validated);
	}

	private <T> Mono<T> failure(ClientResponse response) {
		return this.calls.failure(response);
	}

	private Mono<ChatCompletion> readCompletion(ClientResponse response) {
		return JsonAnswers.read(response, this.completionReader.obtain(), this.maxResponseSize, this.redaction,
				"a chat.completion");
	}

	private <T> Mono<T> attempt(Mono<T> exchange) {
		return this.calls.attempt(exchange);
	}

	private <T> Mono<T> once(Mono<T> exchange) {
		return this.calls.once(exchange);
	}

	private <T> Mono<T> withinTotal(Mono<T> call) {
		return this.calls.withinTotal(call);
	}

	@Override
	public Flux<ChatCompletionChunk> stream(ChatCompletionRequest request) {
		return Flux.defer(() -> {
			ChatCompletionRequest validated = validate(fill(request, Boolean.TRUE));
			byte[] body = write(validated);
			// One callback per chunk that only takes note; the meters are computed once, when
			// the observation stops.
			return this.observations.observeMany(() -> chatContext(validated, true),
					(context) -> (context != null) ? streamChunks(validated, body).doOnNext(context::onChunk)
							: streamChunks(validated, body));
		});
	}

	private Flux<ChatCompletionChunk> streamChunks(ChatCompletionRequest request, byte[] body) {
		return Flux.defer(() -> {
			ChunkStream.Progress progress = new ChunkStream.Progress();
			Flux<ChatCompletionChunk> chunks = attempts(request, body, progress, 1);
			Duration total = this.timeouts.total();
			if (total != null) {
				// One timer for the whole stream, up to data: [DONE]; a stream that it cut
				// short is one that had not ended. (takeUntilOther, unlike its completion,
				// does not cancel the stream on an error of the other publisher.)
				chunks = chunks.doOnComplete(progress::end)
					.takeUntilOther(Mono.delay(total))
					.concatWith(Flux.defer(() -> progress.ended() ? Flux.empty()
							: Flux.error(streamTotalTimeout(total, progress.chunks()))));
			}
			return chunks;
		});
	}

	// The attempts of a stream, from the given one on: another one only as long as no chunk
	// was handed on, since it would repeat them. Sent again here, not by retryWhen, whose
	// companion publisher every stream would pay for, and whose serialized subscriber
	// every chunk.
	private Flux<ChatCompletionChunk> attempts(ChatCompletionRequest request, byte[] body,
			ChunkStream.Progress progress, int attempt) {
		return Flux.defer(() -> attempt(request, body, progress))
			.onErrorResume((ex) -> this.retry.afterFailure(translate(ex), attempt, progress.chunks() == 0)
				.thenMany(Flux.defer(() -> attempts(request, body, progress, attempt + 1))));
	}

	// One attempt: the chunks of the body, read as they are asked for, up to data: [DONE],
	// within the response and idle limits. The exchange ends at [DONE] too, and the rest
	// of the body is read for a moment in the background, so that a body that does end
	// lets its connection be reused.
	private Flux<ChatCompletionChunk> attempt(ChatCompletionRequest request, byte[] body,
			ChunkStream.Progress progress) {
		CompleteAtEnd end = new CompleteAtEnd(BODY_END_GRACE, this.streamTimeouts);
		Flux<DataBuffer> buffers = post(this.streamWebClient.get(), request, body, MediaType.TEXT_EVENT_STREAM)
			.exchangeToFlux((response) -> isNotAnswer(response.statusCode())
					? this.<DataBuffer>failure(response).flux()
					: end.watch(response.body(BodyExtractors.toDataBuffers())));
		return new ChunkStream<>(buffers, this::chunk, this.maxResponseSize, this.streamTimeouts, end::end, progress);
	}

	private static KlusterTimeoutException streamTotalTimeout(Duration total, int chunks) {
		if (chunks == 0) {
			return KlusterCalls.totalTimeout(total);
		}
		return new KlusterTimeoutException("The stream from kluster.ai ran longer than " + total + " ("
				+ KlusterTimeouts.TOTAL_TIMEOUT_PROPERTY + "); " + chunks + ((chunks == 1) ? " chunk" : " chunks")
				+ " received", KlusterTimeouts.TOTAL_TIMEOUT_PROPERTY, total, new TimeoutException());
	}

	@Override
	public Mono<String> chat(String prompt) {
		return chat(promptRequest(prompt)).map(ChatCompletion::text);
	}

	@Override
	public Flux<String> stream(String prompt) {
		return streamText(promptRequest(prompt));
	}

	@Override
	public Flux<KlusterModel> models() {
		return this.observations.observe(() -> chatContext(null, false), (context) -> listModels())
			.flatMapIterable(ModelList::data);
	}

	private Mono<ModelList> listModels() {
		return withinTotal(attempt(Mono.defer(() -> webClient().get()
			.uri("/models")
			.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono((response) -> isNotAnswer(response.statusCode()) ? this.<ModelList>failure(response)
					: JsonAnswers.read(response, this.modelsReader.obtain(), this.maxResponseSize, this.redaction,
							"a list of models")))));
	}

	private static boolean isNotAnswer(HttpStatusCode status) {
		return KlusterCalls.isNotAnswer(status);
	}

	private static ChatCompletionRequest promptRequest(String prompt) {
		return ChatCompletionRequest.builder().message(ChatMessage.user(prompt)).build();
	}

	private ChatCompletionRequest fill(ChatCompletionRequest request, @Nullable Boolean stream) {
		ChatCompletionRequest filled = this.defaults.applyTo(request);
		if (!Objects.equals(filled.stream(), stream)) {
			filled = filled.toBuilder().stream(stream).build();
		}
		return filled;
	}

	// Runs inside defer(): a validation failure becomes the publisher's error and no
	// exchange is started.
	private ChatCompletionRequest validate(ChatCompletionRequest filled) {
		try {
			return this.validator.validate(filled);
		}
		catch (KlusterValidationException ex) {
			this.observations.rejected(ex);
			throw ex;
		}
	}

	// An event's data, read once, from the bytes the splitter found it in.
	private ChatCompletionChunk chunk(byte[] data, int offset, int length) {
		ChatCompletionChunk chunk;
		try {
			chunk = this.chunkReader.obtain().readValue(data, offset, length);
		}
		catch (JacksonException ex) {
			throw new KlusterInvalidResponseException("kluster.ai sent a stream chunk that is not a chat.completion.chunk: "
					+ excerpt(data, offset, length), this.redaction.redact(ex));
		}
		if (chunk == null) {
			throw new KlusterInvalidResponseException(
					"kluster.ai sent a stream chunk that is the JSON null instead of a chat.completion.chunk", null);
		}
		if ("error".equals(chunk.object())) {
			throw new KlusterInvalidResponseException(
					"kluster.ai reported an error inside the stream: " + excerpt(data, offset, length), null);
		}
		return chunk;
	}

	// An event's data is server text: quoted redacted.
	private String excerpt(byte[] data, int offset, int length) {
		return this.redaction.excerpt(new String(data, offset, length, StandardCharsets.UTF_8));
	}

	private Throwable translate(Throwable ex) {
		return this.calls.translate(ex);
	}

	/**
	 * Builder of a {@link DefaultKlusterChatClient}. Its defaults are those of the
	 * auto-configuration with no {@code kluster.*} property set.
	 */
	public static final class Builder {

		private final KlusterConnection connection;

		private RequestValidator validator = new KlusterRequestValidator(ValidationPolicy.defaults());

		private ChatDefaults defaults = ChatDefaults.defaults();

		private KlusterTimeouts timeouts = KlusterTimeouts.defaults();

		private KlusterRetry retry = KlusterRetry.defaults();

		private Builder(KlusterConnection connection) {
			Assert.notNull(connection, "connection must not be null");
			this.connection = connection;
		}

		/**
		 * The validation applied before anything is sent. Defaults to a
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
		 * The values that fill what requests leave unset. Defaults to
		 * {@link ChatDefaults#defaults()}.
		 * @param defaults the defaults
		 * @return this builder
		 */
		public Builder defaults(ChatDefaults defaults) {
			Assert.notNull(defaults, "defaults must not be null");
			this.defaults = defaults;
			return this;
		}

		/**
		 * The time limits of each call. Defaults to {@link KlusterTimeouts#defaults()}.
		 * @param timeouts the limits
		 * @return this builder
		 */
		public Builder timeouts(KlusterTimeouts timeouts) {
			Assert.notNull(timeouts, "timeouts must not be null");
			this.timeouts = timeouts;
			return this;
		}

		/**
		 * When and how failed calls are sent again. Defaults to
		 * {@link KlusterRetry#defaults()}; {@link KlusterRetry#none()} sends each call once.
		 * @param retry the retry
		 * @return this builder
		 */
		public Builder retry(KlusterRetry retry) {
			Assert.notNull(retry, "retry must not be null");
			this.retry = retry;
			return this;
		}

		/**
		 * Build the client.
		 * @return the client
		 */
		public DefaultKlusterChatClient build() {
			return new DefaultKlusterChatClient(this);
		}

	}

	/** What {@link #warmUp()} writes and reads: loaded with it, not with the client. */
	private static final class WarmUpSamples {

		static final ChatCompletionRequest REQUEST = ChatCompletionRequest.builder()
			.message(ChatMessage.user("warm-up"))
			.build();

		static final byte[] COMPLETION = ("{\"id\":\"warm-up\",\"object\":\"chat.completion\",\"created\":0,"
				+ "\"model\":\"warm-up\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
				+ "\"content\":\"warm-up\"},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
				+ "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}")
			.getBytes(StandardCharsets.UTF_8);

		static final byte[] STREAM = ("data: {\"id\":\"warm-up\",\"object\":\"chat.completion.chunk\",\"created\":0,"
				+ "\"model\":\"warm-up\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
				+ "\"content\":\"warm-up\"},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
				+ "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}\n\n"
				+ "data: [DONE]\n\n")
			.getBytes(StandardCharsets.UTF_8);

	}
}
