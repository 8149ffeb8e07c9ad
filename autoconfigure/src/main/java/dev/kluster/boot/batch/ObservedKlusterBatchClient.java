package dev.kluster.boot.batch;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import org.springframework.util.function.SingletonSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import dev.kluster.boot.model.BatchOptions;
import dev.kluster.boot.error.KlusterBatchNotCompletedException;
import dev.kluster.boot.model.QueuedChatCompletion;
import dev.kluster.boot.model.Batch;
import dev.kluster.boot.model.BatchRequest;
import dev.kluster.boot.model.BatchResult;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.KlusterFile;
import dev.kluster.boot.observation.DefaultKlusterBatchObservationConvention;
import dev.kluster.boot.observation.KlusterBatchMeterObservationHandler;
import dev.kluster.boot.observation.KlusterBatchObservationContext;
import dev.kluster.boot.observation.KlusterBatchObservationConvention;
import dev.kluster.boot.observation.KlusterBatchObservationDocumentation;
import dev.kluster.boot.observation.KlusterChatObservationContext;
import dev.kluster.boot.observation.KlusterClientObservations;
import dev.kluster.boot.observation.KlusterObservationDocumentation;

/**
 * {@link KlusterBatchClient} that runs each call of another one in a Micrometer
 * {@link Observation} ({@link KlusterBatchObservationDocumentation#BATCH_OPERATION}),
 * from subscription to the end of the returned publisher. The observation is put into
 * the Reactor context under {@link ObservationThreadLocalAccessor#KEY}, so that the HTTP
 * exchanges the delegate makes with an observed {@code WebClient} are its children; its
 * own parent is the observation of the subscriber's Reactor context, if any.
 * <p>
 * A cancelled call is not an error: its observation stops normally with a
 * {@code cancelled} event. The observation counts requests uploaded and results read for
 * {@link KlusterBatchMeterObservationHandler}; calls the delegate makes to itself, such
 * as the upload within {@link #run(Flux, BatchOptions)}, are part of the outer call's
 * observation rather than observations of their own.
 *
 * @since 0.1.0
 */
public class ObservedKlusterBatchClient implements KlusterBatchClient {

	private final KlusterBatchClient delegate;

	private final ObservationRegistry registry;

	private final @Nullable KlusterBatchObservationConvention convention;

	private final KlusterBatchObservationConvention defaultConvention = new DefaultKlusterBatchObservationConvention();

	// Taken on the first observed call, not at start-up.
	private final SingletonSupplier<KlusterChatObservationContext> server;


	/**
	 * Observe a batch client with the default convention.
	 * @param delegate the client that makes the calls
	 * @param registry the registry
	 * @param baseUrl the base URL of the API, for {@code server.address} and
	 * {@code server.port}
	 */
	public ObservedKlusterBatchClient(KlusterBatchClient delegate, ObservationRegistry registry, String baseUrl) {
		this(delegate, registry, baseUrl, null);
	}

	/**
	 * Observe a batch client.
	 * @param delegate the client that makes the calls
	 * @param registry the registry
	 * @param baseUrl the base URL of the API, for {@code server.address} and
	 * {@code server.port}
	 * @param convention a convention of the application's that replaces the default one
	 * and any global one, or {@code null}
	 */
	public ObservedKlusterBatchClient(KlusterBatchClient delegate, ObservationRegistry registry, String baseUrl,
			@Nullable KlusterBatchObservationConvention convention) {
		this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
		this.convention = convention;
		// The chat observations already turn the base URL into the server keys, default
		// ports included: take them from a chat context rather than parse the URL again.
		this.server = SingletonSupplier.of(() -> KlusterClientObservations.of(registry, baseUrl)
			.context(KlusterChatObservationContext.LIST_MODELS, null, false));
	}

	// Files

	@Override
	public Mono<KlusterFile> upload(Flux<BatchRequest> requests) {
		return observe(KlusterBatchObservationContext.UPLOAD,
				(context) -> this.delegate.upload(requests.doOnNext((request) -> context.requestWritten()))
					.doOnNext((file) -> {
						context.setFileId(file.id());
						context.setUploaded();
					}));
	}

	@Override
	public Mono<KlusterFile> file(String fileId) {
		return observe(KlusterBatchObservationContext.FILE, (context) -> {
			context.setFileId(fileId);
			return this.delegate.file(fileId);
		});
	}

	// Batches

	@Override
	public Mono<Batch> create(String inputFileId, BatchOptions options) {
		return observe(KlusterBatchObservationContext.CREATE, (context) -> {
			context.setFileId(inputFileId);
			return this.delegate.create(inputFileId, options).doOnNext(context::setBatch);
		});
	}

	@Override
	public Mono<Batch> submit(Flux<BatchRequest> requests, BatchOptions options) {
		return observe(KlusterBatchObservationContext.SUBMIT,
				(context) -> this.delegate.submit(requests.doOnNext((request) -> context.requestWritten()), options)
					.doOnNext((batch) -> {
						context.setBatch(batch);
						context.setUploaded();
					}));
	}

	@Override
	public Mono<Batch> retrieve(String batchId) {
		return observe(KlusterBatchObservationContext.RETRIEVE, (context) -> {
			context.setBatchId(batchId);
			return this.delegate.retrieve(batchId).doOnNext(context::setBatch);
		});
	}

	@Override
	public Mono<Batch> cancel(String batchId) {
		return observe(KlusterBatchObservationContext.CANCEL, (context) -> {
			context.setBatchId(batchId);
			return this.delegate.cancel(batchId).doOnNext(context::setBatch);
		});
	}

	@Override
	public Flux<Batch> list(int pageSize) {
		return observeMany(KlusterBatchObservationContext.LIST, (context) -> this.delegate.list(pageSize));
	}

	@Override
	public Flux<Batch> awaitCompletion(String batchId) {
		return observeMany(KlusterBatchObservationContext.AWAIT_COMPLETION, (context) -> {
			context.setBatchId(batchId);
			return this.delegate.awaitCompletion(batchId).doOnNext(context::setBatch);
		});
	}

	// Results

	@Override
	public Flux<BatchResult> results(Batch batch) {
		return observeMany(KlusterBatchObservationContext.RESULTS, (context) -> {
			context.setBatchId(batch.id());
			context.setFileId(batch.outputFileId());
			return this.delegate.results(batch).doOnNext(context::resultRead);
		});
	}

	@Override
	public Flux<BatchResult> readResults(String fileId) {
		return observeMany(KlusterBatchObservationContext.READ_RESULTS, (context) -> {
			context.setFileId(fileId);
			return this.delegate.readResults(fileId).doOnNext(context::resultRead);
		});
	}

	@Override
	public Flux<BatchResult> run(Flux<BatchRequest> requests, BatchOptions options) {
		return observeMany(KlusterBatchObservationContext.RUN,
				(context) -> this.delegate.run(requests.doOnNext((request) -> context.requestWritten()), options)
					// A result, the end, or a batch that did not complete all prove that
					// kluster.ai accepted the file; a failure before that may not.
					.doOnNext((result) -> {
						context.setUploaded();
						context.resultRead(result);
					})
					.doOnComplete(context::setUploaded)
					.doOnError(KlusterBatchNotCompletedException.class, (ex) -> {
						context.setUploaded();
						context.setBatch(ex.batch());
					}));
	}

	// Asynchronous chat

	@Override
	public Mono<QueuedChatCompletion> submitAsync(ChatCompletionRequest request) {
		return observe(KlusterBatchObservationContext.SUBMIT_ASYNC, (context) -> this.delegate.submitAsync(request));
	}

	// Observation

	private <T> Mono<T> observe(String operation, Function<KlusterBatchObservationContext, Mono<T>> call) {
		if (this.registry.isNoop()) {
			return Mono.defer(() -> call.apply(new KlusterBatchObservationContext(operation)));
		}
		return Mono.deferContextual((subscriberContext) -> {
			KlusterBatchObservationContext context = context(operation);
			Observation observation = start(context, subscriberContext);
			ObservedCall observed = new ObservedCall(observation);
			return call.apply(context)
				.doOnSuccess((value) -> observed.complete())
				.doOnError(observed::fail)
				.doOnCancel(observed::cancel)
				.contextWrite((reactorContext) -> reactorContext.put(ObservationThreadLocalAccessor.KEY, observation));
		});
	}

	private <T> Flux<T> observeMany(String operation, Function<KlusterBatchObservationContext, Flux<T>> call) {
		if (this.registry.isNoop()) {
			return Flux.defer(() -> call.apply(new KlusterBatchObservationContext(operation)));
		}
		return Flux.deferContextual((subscriberContext) -> {
			KlusterBatchObservationContext context = context(operation);
			Observation observation = start(context, subscriberContext);
			ObservedCall observed = new ObservedCall(observation);
			return call.apply(context)
				.doOnComplete(observed::complete)
				.doOnError(observed::fail)
				.doOnCancel(observed::cancel)
				.contextWrite((reactorContext) -> reactorContext.put(ObservationThreadLocalAccessor.KEY, observation));
		});
	}

	private KlusterBatchObservationContext context(String operation) {
		KlusterBatchObservationContext context = new KlusterBatchObservationContext(operation);
		KlusterChatObservationContext server = this.server.obtain();
		context.setServer(server.getServerAddress(), server.getServerPort());
		String origin = server.getRemoteServiceAddress();
		if (origin != null) {
			// Tracing bridges read the remote endpoint of the span from this URI.
			context.setRemoteServiceAddress(origin);
		}
		return context;
	}

	// Same parenting as chat calls: the Reactor context's observation when there is one,
	// else the registry's current one, which serves blocking callers.
	private Observation start(KlusterBatchObservationContext context, ContextView subscriberContext) {
		Observation observation = KlusterBatchObservationDocumentation.BATCH_OPERATION.observation(this.convention,
				this.defaultConvention, () -> context, this.registry);
		Observation parent = subscriberContext.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
		if (parent != null) {
			observation.parentObservation(parent);
		}
		return observation.start();
	}

	/**
	 * The observation of one call, stopped exactly once: a cancel that follows the end,
	 * or races with it, is ignored.
	 */
	private static final class ObservedCall {

		private final AtomicBoolean stopped = new AtomicBoolean();

		private final Observation observation;

		ObservedCall(Observation observation) {
			this.observation = observation;
		}

		void complete() {
			if (this.stopped.compareAndSet(false, true)) {
				this.observation.stop();
			}
		}

		void fail(Throwable error) {
			if (this.stopped.compareAndSet(false, true)) {
				this.observation.error(error);
				this.observation.stop();
			}
		}

		void cancel() {
			if (this.stopped.compareAndSet(false, true)) {
				this.observation.event(KlusterObservationDocumentation.Events.CANCELLED);
				this.observation.stop();
			}
		}

	}

}
