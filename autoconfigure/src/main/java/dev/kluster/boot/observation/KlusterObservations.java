package dev.kluster.boot.observation;

import java.net.URI;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Function;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.observability.DefaultSignalListener;
import reactor.core.observability.SignalListener;
import reactor.core.observability.SignalListenerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.EmbeddingRequest;
import dev.kluster.boot.validation.KlusterValidationException;

/**
 * How kluster.ai calls are observed, chat, embeddings and batch alike: the
 * {@link ObservationRegistry}, the conventions, where the API is, whether prompts and
 * completions are recorded, and where validation rejections are counted. Instances are
 * immutable; the {@code with...} methods return changed copies. A
 * {@code KlusterConnection} carries one, so that every client built on the connection is
 * observed the same way.
 * <p>
 * {@link #observe(Supplier, Function)} and {@link #observeMany(Supplier, Function)} run a
 * call in an observation: started on subscription, with the observation of the
 * subscriber's Reactor context ({@link ObservationThreadLocalAccessor#KEY}) as its
 * parent, put into the Reactor context of the call so that the {@code WebClient}'s HTTP
 * observations are its children, and stopped exactly once when the call ends. A cancel is
 * not an error: the observation stops normally with a
 * {@link KlusterObservationDocumentation.Events#CANCELLED cancelled} event. With a no-op
 * registry no context or observation is created at all.
 *
 * @since 0.1.0
 */
public final class KlusterObservations {

	/** Observes nothing and counts no rejection. */
	public static final KlusterObservations NOOP = new KlusterObservations(ObservationRegistry.NOOP, null,
			new DefaultKlusterChatObservationConvention(), null, null, KlusterObservationContext.Server.UNKNOWN, false,
			null);

	private static final KlusterBatchObservationConvention DEFAULT_BATCH_CONVENTION = new DefaultKlusterBatchObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable KlusterChatObservationConvention chatConvention;

	private final KlusterChatObservationConvention defaultChatConvention;

	private final @Nullable KlusterBatchObservationConvention batchConvention;

	private final @Nullable String serverOrigin;

	private final KlusterObservationContext.Server server;

	private final boolean contentRecorded;

	private final @Nullable KlusterValidationRejections rejections;

	private KlusterObservations(ObservationRegistry registry, @Nullable KlusterChatObservationConvention chatConvention,
			KlusterChatObservationConvention defaultChatConvention,
			@Nullable KlusterBatchObservationConvention batchConvention, @Nullable String serverOrigin,
			KlusterObservationContext.Server server, boolean contentRecorded,
			@Nullable KlusterValidationRejections rejections) {
		this.registry = registry;
		this.chatConvention = chatConvention;
		this.defaultChatConvention = defaultChatConvention;
		this.batchConvention = batchConvention;
		this.serverOrigin = serverOrigin;
		this.server = server;
		this.contentRecorded = contentRecorded;
		this.rejections = rejections;
	}

	/**
	 * Observe calls in a registry, with the default conventions and without content. A
	 * {@code KlusterConnection} sets the server from its base URL.
	 * @param registry the registry
	 * @return the observation settings
	 */
	public static KlusterObservations of(ObservationRegistry registry) {
		Objects.requireNonNull(registry, "registry must not be null");
		return new KlusterObservations(registry, null, new DefaultKlusterChatObservationConvention(), null, null,
				KlusterObservationContext.Server.UNKNOWN, false, null);
	}

	/**
	 * Observe calls in a registry, with the default conventions and without content.
	 * @param registry the registry
	 * @param baseUrl the base URL of the API, for {@code server.address} and
	 * {@code server.port}
	 * @return the observation settings
	 */
	public static KlusterObservations of(ObservationRegistry registry, String baseUrl) {
		return of(registry).withBaseUrl(baseUrl);
	}

	/**
	 * Take {@code server.address} and {@code server.port} from the base URL of the API,
	 * once; the port is the scheme's default when the URL has none.
	 * @param baseUrl the base URL
	 * @return a copy with the server
	 */
	public KlusterObservations withBaseUrl(String baseUrl) {
		URI uri = URI.create(baseUrl);
		int port = uri.getPort();
		if (port < 0) {
			port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
		}
		String origin = uri.getScheme() + "://" + uri.getHost() + ":" + port;
		return new KlusterObservations(this.registry, this.chatConvention, this.defaultChatConvention,
				this.batchConvention, origin, new KlusterObservationContext.Server(uri.getHost(), port),
				this.contentRecorded, this.rejections);
	}

	/**
	 * Use a chat convention of the application's instead of the default one and of any
	 * global convention registered with the registry.
	 * @param convention the convention, or {@code null} for none
	 * @return a copy with the convention
	 */
	public KlusterObservations withChatConvention(@Nullable KlusterChatObservationConvention convention) {
		return new KlusterObservations(this.registry, convention, this.defaultChatConvention, this.batchConvention,
				this.serverOrigin, this.server, this.contentRecorded, this.rejections);
	}

	/**
	 * Use another default chat convention, the one that applies when neither a convention
	 * of the application's nor a global one does.
	 * @param defaultConvention the default convention
	 * @return a copy with the default convention
	 */
	public KlusterObservations withDefaultChatConvention(KlusterChatObservationConvention defaultConvention) {
		return new KlusterObservations(this.registry, this.chatConvention,
				Objects.requireNonNull(defaultConvention, "defaultConvention must not be null"), this.batchConvention,
				this.serverOrigin, this.server, this.contentRecorded, this.rejections);
	}

	/**
	 * Use a batch convention of the application's instead of the default one and of any
	 * global convention registered with the registry.
	 * @param convention the convention, or {@code null} for none
	 * @return a copy with the convention
	 */
	public KlusterObservations withBatchConvention(@Nullable KlusterBatchObservationConvention convention) {
		return new KlusterObservations(this.registry, this.chatConvention, this.defaultChatConvention, convention,
				this.serverOrigin, this.server, this.contentRecorded, this.rejections);
	}

	/**
	 * Record prompts and completions on the spans. They may hold personal data.
	 * @param contentRecorded whether to record them
	 * @return a copy with the setting
	 */
	public KlusterObservations withContentRecorded(boolean contentRecorded) {
		return new KlusterObservations(this.registry, this.chatConvention, this.defaultChatConvention,
				this.batchConvention, this.serverOrigin, this.server, contentRecorded, this.rejections);
	}

	/**
	 * Count requests that validation refused before they were sent, whether or not calls
	 * are observed.
	 * @param rejections where to count them, or {@code null} not to count them
	 * @return a copy with the counter
	 */
	public KlusterObservations withValidationRejections(@Nullable KlusterValidationRejections rejections) {
		return new KlusterObservations(this.registry, this.chatConvention, this.defaultChatConvention,
				this.batchConvention, this.serverOrigin, this.server, this.contentRecorded, rejections);
	}

	/**
	 * Whether calls go unobserved, in which case clients skip all observation work.
	 * @return whether the registry is a no-op
	 */
	public boolean isNoop() {
		return this.registry.isNoop();
	}

	/**
	 * Whether prompts and completions are recorded.
	 * @return whether content is recorded
	 */
	public boolean isContentRecorded() {
		return this.contentRecorded;
	}

	/**
	 * Note a request that validation refused. It never reached kluster.ai, so it is no
	 * operation of the API and is counted on its own rather than observed.
	 * @param rejection the validation failure
	 */
	public void rejected(KlusterValidationException rejection) {
		if (this.rejections != null) {
			this.rejections.record(rejection);
		}
	}

	/**
	 * Create the context of a chat client call, marking now as its start.
	 * @param operationName the operation, {@link KlusterChatObservationContext#CHAT} or
	 * {@link KlusterChatObservationContext#LIST_MODELS}
	 * @param request the request as sent, or {@code null}
	 * @param streaming whether the answer is streamed
	 * @return the context
	 */
	public KlusterChatObservationContext chatContext(String operationName, @Nullable ChatCompletionRequest request,
			boolean streaming) {
		KlusterChatObservationContext context = new KlusterChatObservationContext(operationName, request, streaming);
		context.setContentRecorded(this.contentRecorded);
		return server(context);
	}

	/**
	 * Create the context of an embedding call, marking now as its start.
	 * @param request the request as sent
	 * @return the context
	 */
	public KlusterEmbeddingObservationContext embeddingContext(EmbeddingRequest request) {
		return server(new KlusterEmbeddingObservationContext(request));
	}

	/**
	 * Create the context of a batch client call.
	 * @param operation the operation, one of the constants of
	 * {@link KlusterBatchObservationContext}
	 * @return the context
	 */
	public KlusterBatchObservationContext batchContext(String operation) {
		return server(new KlusterBatchObservationContext(operation));
	}

	private <C extends KlusterObservationContext> C server(C context) {
		context.setServer(this.server);
		if (this.serverOrigin != null) {
			// Tracing bridges read the remote endpoint of the span from this URI.
			context.setRemoteServiceAddress(this.serverOrigin);
		}
		return context;
	}

	/**
	 * Run a call that answers once in an observation, from subscription to its end.
	 * @param <C> the type of context
	 * @param <T> the type of the answer
	 * @param context creates the context when the call is subscribed, only when observed
	 * @param call the call, given the context, or {@code null} when unobserved
	 * @return the observed call
	 */
	public <C extends KlusterObservationContext, T> Mono<T> observe(Supplier<C> context,
			Function<@Nullable C, Mono<T>> call) {
		if (isNoop()) {
			return Mono.defer(() -> call.apply(null));
		}
		return Mono.deferContextual((subscriberContext) -> {
			C created = context.get();
			Observation observation = start(created, subscriberContext);
			if (observation.isNoop()) {
				return call.apply(null);
			}
			ObservedCall<T> observed = new ObservedCall<>(observation, true);
			return Mono.fromDirect(observed.subscribedInScope(call.apply(created).tap(observed)));
		});
	}

	/**
	 * Run a call that answers with a stream of elements in an observation, from
	 * subscription to its end.
	 * @param <C> the type of context
	 * @param <T> the type of the elements
	 * @param context creates the context when the call is subscribed, only when observed
	 * @param call the call, given the context, or {@code null} when unobserved
	 * @return the observed call
	 */
	public <C extends KlusterObservationContext, T> Flux<T> observeMany(Supplier<C> context,
			Function<@Nullable C, Flux<T>> call) {
		if (isNoop()) {
			return Flux.defer(() -> call.apply(null));
		}
		return Flux.deferContextual((subscriberContext) -> {
			C created = context.get();
			Observation observation = start(created, subscriberContext);
			if (observation.isNoop()) {
				return call.apply(null);
			}
			ObservedCall<T> observed = new ObservedCall<>(observation, false);
			return Flux.from(observed.subscribedInScope(call.apply(created).tap(observed)));
		});
	}

	// The parent is the Reactor context's observation when there is one; else the
	// observation took the registry's current one, which serves blocking callers.
	private Observation start(KlusterObservationContext context, ContextView subscriberContext) {
		Observation observation = (context instanceof KlusterBatchObservationContext batch)
				? KlusterBatchObservationDocumentation.BATCH_OPERATION.observation(this.batchConvention,
						DEFAULT_BATCH_CONVENTION, () -> batch, this.registry)
				: KlusterObservationDocumentation.CLIENT_OPERATION.observation(this.chatConvention,
						this.defaultChatConvention, () -> (KlusterChatObservationContext) context, this.registry);
		Observation parent = subscriberContext.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
		if (parent != null) {
			observation.parentObservation(parent);
		}
		return observation.start();
	}

	/**
	 * The observation of one call, stopped exactly once, and put into the Reactor context
	 * of the call. One {@link SignalListener} of one {@code tap} operator does what
	 * {@code doOnSuccess}, {@code doOnError}, {@code doOnCancel} and {@code contextWrite}
	 * did, with one operator and subscriber per call instead of four. Its hooks run before
	 * the signal travels on, so a subscriber that sees the end of a call also sees its
	 * observation stopped. A cancel that follows the end, or races with it, is ignored.
	 * (It is its own factory of listeners and its own "stopped" flag, fewer objects per
	 * call.)
	 *
	 * @param <T> the type of the elements
	 */
	private static final class ObservedCall<T> extends DefaultSignalListener<T>
			implements SignalListenerFactory<T, Void> {

		@SuppressWarnings("rawtypes")
		private static final AtomicIntegerFieldUpdater<ObservedCall> STOPPED = AtomicIntegerFieldUpdater
			.newUpdater(ObservedCall.class, "stopped");

		private final Observation observation;

		// A Mono ends with its element, which a blocking subscriber returns at once.
		private final boolean endsWithElement;

		private volatile int stopped;

		ObservedCall(Observation observation, boolean endsWithElement) {
			this.observation = observation;
			this.endsWithElement = endsWithElement;
		}

		@Override
		public @Nullable Void initializePublisherState(Publisher<? extends T> source) {
			return null;
		}

		@Override
		public SignalListener<T> createListener(Publisher<? extends T> source, ContextView listenerContext,
				@Nullable Void publisherContext) {
			return this;
		}

		@Override
		public Context addToContext(Context originalContext) {
			return originalContext.put(ObservationThreadLocalAccessor.KEY, this.observation);
		}

		// The call is subscribed with this observation's scope open on the subscribing
		// thread, so that what starts on subscription (the WebClient's HTTP observation)
		// has this call's span as its parent: a tracing bridge prefers the span current on
		// the thread, which is the caller's when it blocks inside one of its own (Spring
		// AI's ChatClient, a servlet request).
		Publisher<T> subscribedInScope(Publisher<T> call) {
			return (subscriber) -> {
				try (Observation.Scope scope = this.observation.openScope()) {
					call.subscribe(subscriber);
				}
			};
		}

		@Override
		public void doOnNext(T value) {
			if (this.endsWithElement) {
				stop();
			}
		}

		@Override
		public void doOnComplete() {
			stop();
		}

		private void stop() {
			if (STOPPED.compareAndSet(this, 0, 1)) {
				this.observation.stop();
			}
		}

		@Override
		public void doOnError(Throwable error) {
			if (STOPPED.compareAndSet(this, 0, 1)) {
				this.observation.error(error);
				this.observation.stop();
			}
		}

		@Override
		public void doOnCancel() {
			if (STOPPED.compareAndSet(this, 0, 1)) {
				if (this.observation.getContext() instanceof KlusterChatObservationContext chat) {
					chat.setCancelled();
				}
				this.observation.event(KlusterObservationDocumentation.Events.CANCELLED);
				this.observation.stop();
			}
		}

	}

}
