package dev.kluster.boot.client;

import java.io.IOException;
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
import org.springframework.core.codec.CodecException;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link KlusterChatClient} on Spring's {@link WebClient}. The {@code WebClient} it is
 * given carries the base URL and the {@code Authorization} header; this class adds the
 * request defaults, validation before sending, server-sent event decoding and the mapping
 * of every failure to a {@link KlusterException}.
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

	/** Property whose limit a {@link KlusterTimeoutException} of this client names. */
	static final String RESPONSE_TIMEOUT_PROPERTY = "kluster.response-timeout";

	private static final String DONE = "[DONE]";

	private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE_OF_STRING = new ParameterizedTypeReference<>() {
	};

	private final WebClient webClient;

	private final JsonMapper jsonMapper;

	private final RequestValidator validator;

	private final ChatDefaults defaults;

	private final Duration responseTimeout;

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
		this.webClient = webClient;
		this.jsonMapper = jsonMapper;
		this.validator = validator;
		this.defaults = defaults;
		this.responseTimeout = responseTimeout;
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
		return Mono.defer(() -> this.webClient.post()
			.uri("/chat/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON)
			.bodyValue(validate(filled, context))
			.retrieve()
			.onStatus(HttpStatusCode::isError, this.errorMapper::toException)
			.bodyToMono(ChatCompletion.class))
			.timeout(this.responseTimeout)
			.onErrorMap(this::translate);
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
		return Flux.defer(() -> readChunks(this.webClient.post()
			.uri("/chat/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.bodyValue(validate(filled, context))
			.retrieve()
			.onStatus(HttpStatusCode::isError, this.errorMapper::toException)
			.bodyToFlux(SSE_OF_STRING)))
			// The same limit for the first chunk and for the silence between two chunks.
			.timeout(Mono.delay(this.responseTimeout), (chunk) -> Mono.delay(this.responseTimeout))
			.onErrorMap(this::translate);
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
		return this.webClient.get()
			.uri("/models")
			.accept(MediaType.APPLICATION_JSON)
			.retrieve()
			.onStatus(HttpStatusCode::isError, this.errorMapper::toException)
			.bodyToMono(ModelList.class)
			.timeout(this.responseTimeout)
			.onErrorMap(this::translate);
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
							"kluster.ai reported an error inside the stream: " + excerpt(data), null));
					return;
				}
				sink.next(chunk);
			}
			catch (JacksonException ex) {
				sink.error(new KlusterInvalidResponseException(
						"kluster.ai sent a stream chunk that is not a chat.completion.chunk: " + excerpt(data), ex));
			}
		})
			.concatWith(Mono.defer(() -> end.done ? Mono.empty()
					: Mono.error(new KlusterInvalidResponseException(
							"The stream from kluster.ai ended before data: [DONE]; the answer may be incomplete",
							null))));
	}

	private Throwable translate(Throwable ex) {
		if (ex instanceof KlusterException) {
			return ex;
		}
		if (ex instanceof TimeoutException) {
			return new KlusterTimeoutException(RESPONSE_TIMEOUT_PROPERTY, this.responseTimeout, ex);
		}
		if (ex instanceof WebClientRequestException requestException) {
			return new KlusterConnectionException("Could not reach kluster.ai at " + requestException.getUri() + ": "
					+ rootMessage(requestException), requestException);
		}
		if (ex instanceof IOException) {
			return new KlusterConnectionException("The connection to kluster.ai broke: " + rootMessage(ex), ex);
		}
		if (ex instanceof CodecException) {
			return new KlusterInvalidResponseException("Could not read kluster.ai's answer: " + rootMessage(ex), ex);
		}
		return new KlusterException("Call to kluster.ai failed: " + rootMessage(ex), ex);
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

	private static String excerpt(String data) {
		return (data.length() > 200) ? data.substring(0, 200) + "..." : data;
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

	/** Whether the stream of one subscription reached {@code [DONE]}. */
	private static final class StreamEnd {

		private boolean done;

	}

}
