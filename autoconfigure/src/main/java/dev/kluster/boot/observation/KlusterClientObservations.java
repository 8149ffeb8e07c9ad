package dev.kluster.boot.observation;

import java.net.URI;
import java.util.Objects;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import reactor.util.context.ContextView;

import dev.kluster.boot.model.ChatCompletionRequest;

/**
 * How the kluster.ai client observes its calls: the {@link ObservationRegistry}, the
 * conventions, where the API is, and whether prompts and completions are recorded.
 * Instances are immutable; the {@code with...} methods return changed copies.
 *
 * @since 0.1.0
 */
public final class KlusterClientObservations {

	/** Observes nothing. */
	public static final KlusterClientObservations NOOP = new KlusterClientObservations(ObservationRegistry.NOOP, null,
			new DefaultKlusterChatObservationConvention(), null, null, -1, false);

	private final ObservationRegistry registry;

	private final @Nullable KlusterChatObservationConvention convention;

	private final KlusterChatObservationConvention defaultConvention;

	private final @Nullable String serverOrigin;

	private final @Nullable String serverAddress;

	private final int serverPort;

	private final boolean contentRecorded;

	private KlusterClientObservations(ObservationRegistry registry, @Nullable KlusterChatObservationConvention convention,
			KlusterChatObservationConvention defaultConvention, @Nullable String serverOrigin,
			@Nullable String serverAddress, int serverPort, boolean contentRecorded) {
		this.registry = registry;
		this.convention = convention;
		this.defaultConvention = defaultConvention;
		this.serverOrigin = serverOrigin;
		this.serverAddress = serverAddress;
		this.serverPort = serverPort;
		this.contentRecorded = contentRecorded;
	}

	/**
	 * Observe calls in a registry, with the default convention and without content.
	 * @param registry the registry
	 * @param baseUrl the base URL of the API, for {@code server.address} and
	 * {@code server.port}
	 * @return the observation settings
	 */
	public static KlusterClientObservations of(ObservationRegistry registry, String baseUrl) {
		Objects.requireNonNull(registry, "registry must not be null");
		URI uri = URI.create(baseUrl);
		int port = uri.getPort();
		if (port < 0) {
			port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
		}
		String origin = uri.getScheme() + "://" + uri.getHost() + ":" + port;
		return new KlusterClientObservations(registry, null, new DefaultKlusterChatObservationConvention(), origin,
				uri.getHost(), port, false);
	}

	/**
	 * Use a convention of the application's instead of the default one and of any global
	 * convention registered with the registry.
	 * @param convention the convention, or {@code null} for none
	 * @return a copy with the convention
	 */
	public KlusterClientObservations withConvention(@Nullable KlusterChatObservationConvention convention) {
		return new KlusterClientObservations(this.registry, convention, this.defaultConvention, this.serverOrigin,
				this.serverAddress, this.serverPort, this.contentRecorded);
	}

	/**
	 * Use another default convention, the one that applies when neither a convention of
	 * the application's nor a global one does.
	 * @param defaultConvention the default convention
	 * @return a copy with the default convention
	 */
	public KlusterClientObservations withDefaultConvention(KlusterChatObservationConvention defaultConvention) {
		return new KlusterClientObservations(this.registry, this.convention,
				Objects.requireNonNull(defaultConvention, "defaultConvention must not be null"), this.serverOrigin,
				this.serverAddress, this.serverPort, this.contentRecorded);
	}

	/**
	 * Record prompts and completions on the spans. They may hold personal data.
	 * @param contentRecorded whether to record them
	 * @return a copy with the setting
	 */
	public KlusterClientObservations withContentRecorded(boolean contentRecorded) {
		return new KlusterClientObservations(this.registry, this.convention, this.defaultConvention, this.serverOrigin,
				this.serverAddress, this.serverPort, contentRecorded);
	}

	/**
	 * Whether calls go unobserved, in which case the client skips all observation work.
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
	 * Create the context of a call, marking now as its start.
	 * @param operationName the operation
	 * @param request the request with defaults applied, or {@code null}
	 * @param streaming whether the answer is streamed
	 * @return the context
	 */
	public KlusterChatObservationContext context(String operationName, @Nullable ChatCompletionRequest request,
			boolean streaming) {
		KlusterChatObservationContext context = new KlusterChatObservationContext(operationName, request, streaming);
		context.setServer(this.serverAddress, this.serverPort);
		if (this.serverOrigin != null) {
			// Tracing bridges read the remote endpoint of the span from this URI.
			context.setRemoteServiceAddress(this.serverOrigin);
		}
		context.setContentRecorded(this.contentRecorded);
		return context;
	}

	/**
	 * Start the observation of a call. Its parent is the observation that the subscriber's
	 * Reactor context holds under {@link ObservationThreadLocalAccessor#KEY}, else the
	 * registry's current one.
	 * @param context the context of the call
	 * @param subscriberContext the subscriber's Reactor context
	 * @return the started observation, a no-op one when the registry or a predicate turns
	 * it off
	 */
	public Observation start(KlusterChatObservationContext context, ContextView subscriberContext) {
		Observation observation = KlusterObservationDocumentation.CLIENT_OPERATION.observation(this.convention,
				this.defaultConvention, () -> context, this.registry);
		// Only override when the Reactor context has one: the observation already took the
		// registry's current observation as its parent, which serves blocking callers.
		Observation parent = subscriberContext.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
		if (parent != null) {
			observation.parentObservation(parent);
		}
		return observation.start();
	}

}
