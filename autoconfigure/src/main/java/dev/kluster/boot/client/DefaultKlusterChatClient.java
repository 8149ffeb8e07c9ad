package dev.kluster.boot.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionChunk;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.KlusterModel;
import dev.kluster.boot.model.ModelList;
import dev.kluster.boot.observation.KlusterChatObservationContext;
import dev.kluster.boot.observation.KlusterClientObservations;
import dev.kluster.boot.observation.KlusterObservationDocumentation;
import dev.kluster.boot.validation.RequestValidator;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link KlusterChatClient} on Spring's {@link WebClient}. The {@code WebClient} it is
 * given carries the base URL and the authorization (and, when configured, the
 * {@link KlusterConcurrencyLimit}); this class adds the request defaults, validation
 * before sending, server-sent event decoding, the {@link KlusterTimeouts time limits},
 * the {@link KlusterRetry retries} and the mapping of every failure to a
 * {@link KlusterException}.
 * <p>
 * Each call runs in a Micrometer {@link Observation} when the client is given
 * {@link KlusterClientObservations} with a registry. The observation is put into the
 * Reactor context of the exchange, so that the {@code WebClient}'s own HTTP observation
 * becomes its child, streams included. With a no-op registry the client does no
 * observation work at all.
 *
 * @since 0.1.0
 */
public final class DefaultKlusterChatClient implements KlusterChatClient {

	private static final String DONE = "[DONE]";

	private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE_OF_STRING = new ParameterizedTypeReference<>() {
	};

	private final WebClient webClient;

	private final JsonMapper jsonMapper;

	private final RequestValidator validator;

	private final ChatDefaults defaults;

	private final KlusterTimeouts timeouts;

	private final KlusterRetry retry;

	private final HttpErrorMapper errorMapper;

	private final KlusterClientObservations observations;

	/**
	 * Create a client that observes nothing.
	 * @param webClient client with the base URL and the authorization header set
	 * @param jsonMapper mapper for stream chunks and error bodies
	 * @param validator validation applied before anything is sent
	 * @param defaults values that fill what requests leave unset
	 * @param responseTimeout longest wait for an answer, and for each chunk of a stream
	 * @param errorMapper mapper of HTTP error answers
	 */
	public DefaultKlusterChatClient(WebClient webClient, JsonMapper jsonMapper, RequestValidator validator,
			ChatDefaults defaults, Duration responseTimeout, HttpErrorMapper errorMapper) {
		this(webClient, jsonMapper, validator, defaults, responseTimeout, errorMapper, KlusterClientObservations.NOOP);
	}

	/**
	 * Create a client.
	 * @param webClient client with the base URL and the authorization header set
	 * @param jsonMapper mapper for stream chunks and error bodies
	 * @param validator validation applied before anything is sent
	 * @param defaults values that fill what requests leave unset
	 * @param responseTimeout longest wait for an answer, and for each chunk of a stream
	 * @param errorMapper mapper of HTTP error answers
	 * @param observations how calls are observed
	 */
	public DefaultKlusterChatClient(WebClient webClient, JsonMapper jsonMapper, RequestValidator validator,
			ChatDefaults defaults, Duration responseTimeout, HttpErrorMapper errorMapper,
			KlusterClientObservations observations) {
		this(webClient, jsonMapper, validator, defaults, KlusterTimeouts.of(responseTimeout), KlusterRetry.none(),
				errorMapper, observations);
	}

	/**
	 * Create a client with retries and all time limits.
	 * @param webClient client with the base URL and the authorization set
	 * @param jsonMapper mapper for stream chunks and error bodies
	 * @param validator validation applied before anything is sent
	 * @param defaults values that fill what requests leave unset
	 * @param timeouts time limits of each call
	 * @param retry when and how failed calls are sent again
	 * @param errorMapper mapper of HTTP error answers
	 * @param observations how calls are observed
	 */
	public DefaultKlusterChatClient(WebClient webClient, JsonMapper jsonMapper, RequestValidator validator,
			ChatDefaults defaults, KlusterTimeouts timeouts, KlusterRetry retry, HttpErrorMapper errorMapper,
			KlusterClientObservations observations) {
		this.webClient = webClient;
		this.jsonMapper = jsonMapper;
		this.validator = validator;
		this.defaults = defaults;
		this.timeouts = timeouts;
		this.retry = retry;
		this.errorMapper = errorMapper;
		this.observations = observations;
	}

	@Override
	public Mono<ChatCompletion> chat(ChatCompletionRequest request) {
		if (this.observations.isNoop()) {
			return Mono.defer(() -> complete(fill(request, null), null));
		}
		return Mono.deferContextual((subscriberContext) -> {
			ChatCompletionRequest filled = fill(request, null);
			KlusterChatObservationContext context = this.observations.context(KlusterChatObservationContext.CHAT,
					filled, false);
			Observation observation = this.observations.start(context, subscriberContext);
			if (observation.isNoop()) {
				return complete(filled, null);
			}
			ObservedCall call = new ObservedCall(observation, context);
			return complete(filled, context).doOnSuccess(call::succeed)
				.doOnError(call::fail)
				.doOnCancel(call::cancel)
				.contextWrite((reactorContext) -> reactorContext.put(ObservationThreadLocalAccessor.KEY, observation));
		});
	}

	private Mono<ChatCompletion> complete(ChatCompletionRequest filled,
			@Nullable KlusterChatObservationContext context) {
		// Validated once: a validation failure is not retried and sends nothing.
		return Mono.fromCallable(() -> validate(filled, context))
			.flatMap((validated) -> withinTotal(attempt(Mono.defer(() -> this.webClient.post()
				.uri("/chat/completions")
				.contentType(MediaType.APPLICATION_JSON)
				.accept(MediaType.APPLICATION_JSON)
				.bodyValue(validated)
				.retrieve()
				.onStatus(DefaultKlusterChatClient::isNotAnswer, this.errorMapper::toException)
				.bodyToMono(ChatCompletion.class)))));
	}

	// One attempt of a call that is not streamed: the whole answer within the response
	// timeout, each failure a KlusterException before the retry judges it.
	private <T> Mono<T> attempt(Mono<T> exchange) {
		Duration limit = this.timeouts.response();
		return exchange
			.timeout(limit,
					Mono.error(() -> new KlusterTimeoutException(KlusterTimeouts.RESPONSE_TIMEOUT_PROPERTY, limit,
							new TimeoutException())))
			.onErrorMap(this::translate)
			.retryWhen(this.retry);
	}

	private <T> Mono<T> withinTotal(Mono<T> call) {
		Duration total = this.timeouts.total();
		return (total != null) ? call.timeout(total, Mono.error(() -> totalTimeout(total))) : call;
	}

	private static KlusterTimeoutException totalTimeout(Duration total) {
		return new KlusterTimeoutException(KlusterTimeouts.TOTAL_TIMEOUT_PROPERTY, total, new TimeoutException());
	}

	@Override
	public Flux<ChatCompletionChunk> stream(ChatCompletionRequest request) {
		if (this.observations.isNoop()) {
			return Flux.defer(() -> streamChunks(fill(request, Boolean.TRUE), null));
		}
		return Flux.deferContextual((subscriberContext) -> {
			ChatCompletionRequest filled = fill(request, Boolean.TRUE);
			KlusterChatObservationContext context = this.observations.context(KlusterChatObservationContext.CHAT,
					filled, true);
			Observation observation = this.observations.start(context, subscriberContext);
			if (observation.isNoop()) {
				return streamChunks(filled, null);
			}
			// One callback per chunk that only takes note; the meters are computed once, when
			// the observation stops.
			ObservedCall call = new ObservedCall(observation, context);
			return streamChunks(filled, context).doOnNext(context::onChunk)
				.doOnComplete(call::complete)
				.doOnError(call::fail)
				.doOnCancel(call::cancel)
				.contextWrite((reactorContext) -> reactorContext.put(ObservationThreadLocalAccessor.KEY, observation));
		});
	}

	private Flux<ChatCompletionChunk> streamChunks(ChatCompletionRequest filled,
			@Nullable KlusterChatObservationContext context) {
		return Flux.defer(() -> {
			ChatCompletionRequest validated = validate(filled, context);
			StreamProgress progress = new StreamProgress();
			Duration response = this.timeouts.response();
			Duration idle = this.timeouts.streamIdle();
			Flux<ChatCompletionChunk> call = Flux.defer(() -> readChunks(this.webClient.post()
				.uri("/chat/completions")
				.contentType(MediaType.APPLICATION_JSON)
				.accept(MediaType.TEXT_EVENT_STREAM)
				.bodyValue(validated)
				.retrieve()
				.onStatus(DefaultKlusterChatClient::isNotAnswer, this.errorMapper::toException)
				.bodyToFlux(SSE_OF_STRING)))
				.timeout(Mono.delay(response), (chunk) -> Mono.delay(idle),
						Flux.defer(() -> Flux.error(progress.timeout(response, idle))))
				.onErrorMap(this::translate)
				.doOnNext((chunk) -> progress.delivered = true)
				// Once a chunk reached the subscriber, a second attempt would repeat it.
				.retryWhen(this.retry.onlyIf((ex) -> !progress.delivered));
			Duration total = this.timeouts.total();
			if (total == null) {
				return call;
			}
			// One deadline for the whole stream: each chunk waits only for what is left of it.
			long deadline = System.nanoTime() + total.toNanos();
			return call.timeout(Mono.delay(total),
					(chunk) -> Mono.delay(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))),
					Flux.defer(() -> Flux.error(totalTimeout(total))));
		});
	}

	@Override
	public Mono<String> chat(String prompt) {
		return chat(promptRequest(prompt)).map(ChatCompletion::text);
	}

	@Override
	public Flux<String> stream(String prompt) {
		return stream(promptRequest(prompt)).map(ChatCompletionChunk::text).filter((text) -> !text.isEmpty());
	}

	@Override
	public Flux<KlusterModel> models() {
		if (this.observations.isNoop()) {
			return listModels().flatMapIterable(ModelList::data);
		}
		return Mono.deferContextual((subscriberContext) -> {
			KlusterChatObservationContext context = this.observations
				.context(KlusterChatObservationContext.LIST_MODELS, null, false);
			Observation observation = this.observations.start(context, subscriberContext);
			if (observation.isNoop()) {
				return listModels();
			}
			ObservedCall call = new ObservedCall(observation, context);
			return listModels().doOnSuccess((models) -> call.complete())
				.doOnError(call::fail)
				.doOnCancel(call::cancel)
				.contextWrite((reactorContext) -> reactorContext.put(ObservationThreadLocalAccessor.KEY, observation));
		}).flatMapIterable(ModelList::data);
	}

	private Mono<ModelList> listModels() {
		return withinTotal(attempt(Mono.defer(() -> this.webClient.get()
			.uri("/models")
			.accept(MediaType.APPLICATION_JSON)
			.retrieve()
			.onStatus(DefaultKlusterChatClient::isNotAnswer, this.errorMapper::toException)
			.bodyToMono(ModelList.class))));
	}

	// Errors, and redirects the HTTP client did not follow: neither carries an answer.
	private static boolean isNotAnswer(HttpStatusCode status) {
		return status.isError() || status.is3xxRedirection();
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
	private ChatCompletionRequest validate(ChatCompletionRequest filled,
			@Nullable KlusterChatObservationContext context) {
		ChatCompletionRequest validated = this.validator.validate(filled);
		if (context != null) {
			context.setRequest(validated);
		}
		return validated;
	}

	private Flux<ChatCompletionChunk> readChunks(Flux<ServerSentEvent<String>> events) {
		StreamEnd end = new StreamEnd();
		return events.<ChatCompletionChunk>handle((event, sink) -> {
			String data = event.data();
			// Comments (keep-alives) carry no data; nothing after [DONE] belongs to the answer.
			if (data == null || end.done) {
				return;
			}
			if (DONE.equals(data.strip())) {
				end.done = true;
				return;
			}
			try {
				ChatCompletionChunk chunk = this.jsonMapper.readValue(data, ChatCompletionChunk.class);
				if ("error".equals(chunk.object())) {
					sink.error(new KlusterInvalidResponseException(
							"kluster.ai reported an error inside the stream: " + KlusterFailures.excerpt(data), null));
					return;
				}
				sink.next(chunk);
			}
			catch (JacksonException ex) {
				sink.error(new KlusterInvalidResponseException(
						"kluster.ai sent a stream chunk that is not a chat.completion.chunk: " + KlusterFailures.excerpt(data), ex));
			}
		})
			.concatWith(Mono.defer(() -> end.done ? Mono.empty()
					: Mono.error(new KlusterInvalidResponseException(
							"The stream from kluster.ai ended before data: [DONE]; the answer may be incomplete",
							null))));
	}

	private Throwable translate(Throwable ex) {
		return KlusterFailures.translate(ex, KlusterTimeouts.RESPONSE_TIMEOUT_PROPERTY, this.timeouts.response(),
				this.timeouts.connect());
	}

	/**
	 * The observation of one call, stopped exactly once. The hooks run before the signal
	 * travels on, so a subscriber that sees the end of a call also sees its observation
	 * stopped. A cancel is not an error: the observation stops normally and notes the
	 * cancel as an event. A cancel that follows the end, or races with it, is ignored.
	 */
	private static final class ObservedCall {

		private static final AtomicIntegerFieldUpdater<ObservedCall> STOPPED = AtomicIntegerFieldUpdater
			.newUpdater(ObservedCall.class, "stopped");

		private final Observation observation;

		private final KlusterChatObservationContext context;

		private volatile int stopped;

		ObservedCall(Observation observation, KlusterChatObservationContext context) {
			this.observation = observation;
			this.context = context;
		}

		void succeed(@Nullable ChatCompletion completion) {
			if (completion != null) {
				this.context.setResponse(completion);
			}
			complete();
		}

		void complete() {
			if (STOPPED.compareAndSet(this, 0, 1)) {
				this.observation.stop();
			}
		}

		void fail(Throwable error) {
			if (STOPPED.compareAndSet(this, 0, 1)) {
				this.observation.error(error);
				this.observation.stop();
			}
		}

		void cancel() {
			if (STOPPED.compareAndSet(this, 0, 1)) {
				this.context.setCancelled();
				this.observation.event(KlusterObservationDocumentation.Events.CANCELLED);
				this.observation.stop();
			}
		}

	}

	/** Whether a stream has delivered a chunk, across its attempts. */
	private static final class StreamProgress {

		private volatile boolean delivered;

		KlusterTimeoutException timeout(Duration response, Duration idle) {
			return this.delivered
					? new KlusterTimeoutException("kluster.ai's stream was silent for longer than " + idle + " ("
							+ KlusterTimeouts.STREAM_IDLE_TIMEOUT_PROPERTY + ")",
							KlusterTimeouts.STREAM_IDLE_TIMEOUT_PROPERTY, idle, new TimeoutException())
					: new KlusterTimeoutException(KlusterTimeouts.RESPONSE_TIMEOUT_PROPERTY, response,
							new TimeoutException());
		}

	}

	/** Whether the stream of one subscription reached {@code [DONE]}. */
	private static final class StreamEnd {

		private boolean done;

	}

}
