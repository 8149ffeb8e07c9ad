package dev.kluster.boot.transport;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import dev.kluster.boot.error.KlusterApiException;
import dev.kluster.boot.error.KlusterRedaction;
import dev.kluster.boot.observation.KlusterObservations;

/**
 * The configured way to kluster.ai that the clients share: a {@link WebClient} with the
 * base URL, the {@code Authorization} header and the application's customizations, the
 * {@link JsonMapper}, the {@link HttpErrorMapper} and the {@link KlusterObservations}, so
 * that every client built on the connection is observed the same way. Also usable
 * directly for endpoints the starter has no client for, such as embeddings.
 * <p>
 * Made with a {@link #builder() builder}, whose defaults are those of the
 * auto-configuration. Given an API key, the builder makes the {@code WebClient} as the
 * auto-configuration does; the auto-configured connection is made by the same builder.
 * The {@code WebClient} is made on first use: a connector brings an HTTP transport with
 * it (event loops, native libraries) that an application should not start before it
 * makes its first call. {@link #warmUp()} makes it, and starts that transport, ahead of
 * the first call; the auto-configuration does so in the background once the application
 * is ready.
 *
 * @since 0.1.0
 */
public final class KlusterConnection {

	/** The base URL of kluster.ai's OpenAI-compatible API, the default of {@code kluster.base-url}. */
	public static final String DEFAULT_BASE_URL = "https://api.kluster.ai/v1";

	/** The default of {@code kluster.max-response-size}: 10 MB. */
	public static final int DEFAULT_MAX_RESPONSE_SIZE = 10 * 1024 * 1024;

	/** The {@code User-Agent} of the requests of a {@code WebClient} the builder makes. */
	public static final String DEFAULT_USER_AGENT = "kluster-spring-boot";

	private final SingletonSupplier<MadeWebClient> webClient;

	private volatile boolean warm;

	private final JsonMapper jsonMapper;

	private final HttpErrorMapper errorMapper;

	private final String baseUrl;

	private final int maxResponseSize;

	private final KlusterObservations observations;

	private final @Nullable KlusterRateLimit rateLimit;

	private KlusterConnection(Supplier<MadeWebClient> webClient, JsonMapper jsonMapper, HttpErrorMapper errorMapper,
			String baseUrl, int maxResponseSize, KlusterObservations observations,
			@Nullable KlusterRateLimit rateLimit) {
		this.webClient = SingletonSupplier.of(webClient);
		this.jsonMapper = jsonMapper;
		this.errorMapper = errorMapper;
		this.baseUrl = baseUrl;
		this.maxResponseSize = maxResponseSize;
		this.rateLimit = rateLimit;
		// Unobserved calls have no server keys to show.
		this.observations = observations.isNoop() ? observations : observations.withBaseUrl(baseUrl);
	}

	/**
	 * A builder of a connection, with the defaults of the auto-configuration.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The client with base URL and authorization set, built on the first call.
	 * @return the client
	 */
	public WebClient webClient() {
		return this.webClient.obtain().webClient();
	}

	/**
	 * Prepare what the first call would otherwise prepare, without sending anything to
	 * kluster.ai: make the {@link #webClient() WebClient} and, when its connector is
	 * Reactor Netty's (the connection's own or Spring Boot's), run one exchange through it
	 * with a server that this method starts on the loopback interface for that exchange
	 * and stops after it. The exchange starts the connector's event loops, native
	 * transport, address resolver and connection pool, and runs the code of a call, from
	 * the {@code WebClient} down to the socket, once: that code, not the making of
	 * objects, is most of what a first call waits for. It goes without the
	 * {@code WebClient}'s filters and observation, so that no filter of the application
	 * and no metric sees it, and without the API key, which is only sent to the base
	 * URL's origin. For an {@code https} base URL, Reactor Netty's default SSL context is
	 * made too, which its clients use unless configured with another.
	 * <p>
	 * Blocks until done, so call it from a thread that may block; calling it again does
	 * nothing more.
	 * @throws RuntimeException if the {@code WebClient} cannot be made, as the first call
	 * would then fail, or if the exchange fails
	 * @see #isWarm()
	 */
	public void warmUp() {
		if (this.warm) {
			return;
		}
		MadeWebClient made = this.webClient.obtain();
		if (made.connector() instanceof ReactorClientHttpConnector) {
			if (this.baseUrl.startsWith("https:")) {
				// Made once, in a static of Reactor Netty's that its clients share.
				HttpClient.create().secure();
			}
			LoopbackExchange.run(made.webClient());
		}
		this.warm = true;
	}

	/**
	 * Whether {@link #warmUp()} has completed.
	 * @return {@code true} once the connection is warm
	 */
	public boolean isWarm() {
		return this.warm;
	}

	/**
	 * The mapper for bodies the codecs do not read.
	 * @return the mapper
	 */
	public JsonMapper jsonMapper() {
		return this.jsonMapper;
	}

	/**
	 * The mapper of HTTP error answers to {@link KlusterApiException}s.
	 * @return the mapper
	 */
	public HttpErrorMapper errorMapper() {
		return this.errorMapper;
	}

	/**
	 * The base URL.
	 * @return the base URL, without trailing slash
	 */
	public String baseUrl() {
		return this.baseUrl;
	}

	/**
	 * Most bytes of an answer, or of one event of a stream, held in memory.
	 * @return the limit in bytes
	 */
	public int maxResponseSize() {
		return this.maxResponseSize;
	}

	/**
	 * How the calls of clients on this connection are observed.
	 * @return the observation settings, {@link KlusterObservations#NOOP} when unobserved
	 */
	public KlusterObservations observations() {
		return this.observations;
	}

	/**
	 * The pacer of requests per minute and tokens per minute on the connection's
	 * {@code WebClient}, whose token estimates the clients correct with the usage
	 * kluster.ai reports.
	 * @return the rate limit, or {@code null} when requests are not paced
	 */
	public @Nullable KlusterRateLimit rateLimit() {
		return this.rateLimit;
	}

	// Never the WebClient: its builder may have been given the key as a default header by
	// an application's customizer.
	@Override
	public String toString() {
		return "KlusterConnection[baseUrl=" + this.baseUrl + "]";
	}

	/**
	 * Builder of a {@link KlusterConnection}. Either give it an {@link #apiKey(String) API
	 * key}, and it makes the {@code WebClient} as the auto-configuration does, or a
	 * {@link #webClient(WebClient) WebClient} of your own.
	 * <p>
	 * The {@code WebClient} it makes starts from a clone of the given
	 * {@link #webClientBuilder(WebClient.Builder) WebClient.Builder} (or a new one) and
	 * has, in this order: the base URL, codecs that hold at most
	 * {@link #maxResponseSize(int) maxResponseSize} bytes, the {@code User-Agent}
	 * {@value KlusterConnection#DEFAULT_USER_AGENT}, the {@link #rateLimit(KlusterRateLimit) rate
	 * limit} and the {@link #concurrencyLimit(KlusterConcurrencyLimit) concurrency limit} as
	 * its first filters, the {@link #webClientCustomizer customizers},
	 * and last a {@link KlusterAuthorizationConnector} around the
	 * {@link #connector(ClientHttpConnector) connector}, which adds the key to requests for
	 * the base URL's origin only and applies the one redirect policy of chat and batch
	 * calls.
	 */
	public static final class Builder {

		private @Nullable Supplier<WebClient> webClient;

		private @Nullable String apiKey;

		private @Nullable Supplier<WebClient.Builder> webClientBuilder;

		private @Nullable Supplier<ClientHttpConnector> connector;

		private boolean followCrossOriginRedirects;

		private @Nullable KlusterConcurrencyLimit concurrencyLimit;

		private @Nullable KlusterRateLimit rateLimit;

		private final List<KlusterWebClientCustomizer> customizers = new ArrayList<>();

		private @Nullable JsonMapper jsonMapper;

		private @Nullable HttpErrorMapper errorMapper;

		private String baseUrl = DEFAULT_BASE_URL;

		private int maxResponseSize = DEFAULT_MAX_RESPONSE_SIZE;

		private KlusterObservations observations = KlusterObservations.NOOP;

		private Builder() {
		}

		/**
		 * Use a {@code WebClient} of your own instead of one the builder makes from the API
		 * key. It is used with the connection's {@link #baseUrl(String) base URL}, so that
		 * every client of the connection calls the same API; the settings that make a
		 * {@code WebClient} (connector, customizers, concurrency limit, codecs) are not
		 * applied to it.
		 * @param webClient the client, carrying the authorization
		 * @return this builder
		 */
		public Builder webClient(WebClient webClient) {
			Assert.notNull(webClient, "webClient must not be null");
			return webClient(() -> webClient);
		}

		/**
		 * Use a {@code WebClient} of your own, made on the first call of a client of the
		 * connection; see {@link #webClient(WebClient)}.
		 * @param webClient supplies the client, called once
		 * @return this builder
		 */
		public Builder webClient(Supplier<WebClient> webClient) {
			Assert.notNull(webClient, "webClient must not be null");
			this.webClient = webClient;
			return this;
		}

		/**
		 * The API key, sent as a bearer token to the base URL's origin only, and removed
		 * from any server text that goes into an exception. With a
		 * {@link #webClient(WebClient) WebClient} of your own, only the latter.
		 * @param apiKey the key
		 * @return this builder
		 */
		public Builder apiKey(@Nullable String apiKey) {
			this.apiKey = apiKey;
			return this;
		}

		/**
		 * The {@code WebClient.Builder} that the {@code WebClient} starts from, such as
		 * Spring Boot's; it is cloned, so that the settings of this connection stay out of
		 * it. Defaults to {@link WebClient#builder()}.
		 * @param webClientBuilder the builder to start from
		 * @return this builder
		 */
		public Builder webClientBuilder(WebClient.Builder webClientBuilder) {
			Assert.notNull(webClientBuilder, "webClientBuilder must not be null");
			return webClientBuilder(() -> webClientBuilder);
		}

		/**
		 * The {@code WebClient.Builder} that the {@code WebClient} starts from, asked for
		 * when the {@code WebClient} is made; see {@link #webClientBuilder(WebClient.Builder)}.
		 * @param webClientBuilder supplies the builder to start from
		 * @return this builder
		 */
		public Builder webClientBuilder(Supplier<WebClient.Builder> webClientBuilder) {
			Assert.notNull(webClientBuilder, "webClientBuilder must not be null");
			this.webClientBuilder = webClientBuilder;
			return this;
		}

		/**
		 * The connector that does the HTTP work, under the
		 * {@link KlusterAuthorizationConnector}. Defaults to a Reactor Netty connector that
		 * follows redirects, as Spring Boot's HTTP client settings do by default.
		 * @param connector the connector
		 * @return this builder
		 */
		public Builder connector(ClientHttpConnector connector) {
			Assert.notNull(connector, "connector must not be null");
			return connector(() -> connector);
		}

		/**
		 * The connector that does the HTTP work, asked for when the {@code WebClient} is
		 * made; see {@link #connector(ClientHttpConnector)}.
		 * @param connector supplies the connector
		 * @return this builder
		 */
		public Builder connector(Supplier<ClientHttpConnector> connector) {
			Assert.notNull(connector, "connector must not be null");
			this.connector = connector;
			return this;
		}

		/**
		 * Whether a request with a body follows a redirect to another origin (without the
		 * key) rather than fail with a {@code KlusterRedirectException}; off by default,
		 * as {@code kluster.follow-cross-origin-redirects}.
		 * @param followCrossOriginRedirects whether to follow such redirects
		 * @return this builder
		 */
		public Builder followCrossOriginRedirects(boolean followCrossOriginRedirects) {
			this.followCrossOriginRedirects = followCrossOriginRedirects;
			return this;
		}

		/**
		 * The limit of requests in flight, shared by every client of the connection; none
		 * by default.
		 * @param concurrencyLimit the limit, or {@code null} for none
		 * @return this builder
		 */
		public Builder concurrencyLimit(@Nullable KlusterConcurrencyLimit concurrencyLimit) {
			this.concurrencyLimit = concurrencyLimit;
			return this;
		}

		/**
		 * The pacer of requests and tokens per minute, shared by every client of the
		 * connection and applied ahead of the concurrency limit; none by default. Applied to
		 * a {@code WebClient} the builder makes, not to one of your own.
		 * @param rateLimit the rate limit, or {@code null} for none
		 * @return this builder
		 */
		public Builder rateLimit(@Nullable KlusterRateLimit rateLimit) {
			this.rateLimit = rateLimit;
			return this;
		}

		/**
		 * Add a customizer of the {@code WebClient.Builder}, applied after those added
		 * before it and before the connector is set.
		 * @param customizer the customizer
		 * @return this builder
		 */
		public Builder webClientCustomizer(KlusterWebClientCustomizer customizer) {
			Assert.notNull(customizer, "customizer must not be null");
			this.customizers.add(customizer);
			return this;
		}

		/**
		 * The mapper for bodies the codecs do not read. Defaults to
		 * {@link JsonMapper#shared()}.
		 * @param jsonMapper the mapper
		 * @return this builder
		 */
		public Builder jsonMapper(JsonMapper jsonMapper) {
			Assert.notNull(jsonMapper, "jsonMapper must not be null");
			this.jsonMapper = jsonMapper;
			return this;
		}

		/**
		 * The mapper of HTTP error answers. Defaults to one on the {@link #jsonMapper
		 * JsonMapper} that redacts the API key, when there is one, and every bearer token.
		 * @param errorMapper the mapper
		 * @return this builder
		 */
		public Builder errorMapper(HttpErrorMapper errorMapper) {
			Assert.notNull(errorMapper, "errorMapper must not be null");
			this.errorMapper = errorMapper;
			return this;
		}

		/**
		 * The base URL of the API, including its {@code /v1} path. Defaults to
		 * {@value KlusterConnection#DEFAULT_BASE_URL}.
		 * @param baseUrl the base URL; a trailing slash is dropped
		 * @return this builder
		 */
		public Builder baseUrl(String baseUrl) {
			Assert.hasText(baseUrl, "baseUrl must not be empty");
			String trimmed = baseUrl.strip();
			this.baseUrl = trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
			return this;
		}

		/**
		 * Most bytes of an answer, or of one event of a stream, held in memory. Defaults to
		 * {@value KlusterConnection#DEFAULT_MAX_RESPONSE_SIZE}.
		 * @param maxResponseSize the limit in bytes, at least 1
		 * @return this builder
		 */
		public Builder maxResponseSize(int maxResponseSize) {
			Assert.isTrue(maxResponseSize > 0, "maxResponseSize must be positive");
			this.maxResponseSize = maxResponseSize;
			return this;
		}

		/**
		 * How the calls of clients on the connection are observed; the server keys are
		 * taken from the base URL. Defaults to {@link KlusterObservations#NOOP}.
		 * @param observations the observation settings
		 * @return this builder
		 */
		public Builder observations(KlusterObservations observations) {
			Assert.notNull(observations, "observations must not be null");
			this.observations = observations;
			return this;
		}

		/**
		 * Build the connection; its {@code WebClient} is made on first use.
		 * @return the connection
		 * @throws IllegalStateException if neither an API key nor a {@code WebClient} is set
		 */
		public KlusterConnection build() {
			Supplier<WebClient> given = this.webClient;
			String key = this.apiKey;
			if (given == null && !StringUtils.hasText(key)) {
				throw new IllegalStateException("A KlusterConnection needs an API key or a WebClient");
			}
			JsonMapper mapper = (this.jsonMapper != null) ? this.jsonMapper : JsonMapper.shared();
			// Server text that goes into exceptions is redacted of the key: a server may echo it.
			HttpErrorMapper errors = (this.errorMapper != null) ? this.errorMapper
					: new HttpErrorMapper(mapper, Clock.systemUTC(), KlusterRedaction.of(key));
			String url = this.baseUrl;
			Supplier<MadeWebClient> webClient = (given != null)
					? () -> new MadeWebClient(given.get().mutate().baseUrl(url).build(), null)
					: webClientFactory(key, url);
			return new KlusterConnection(webClient, mapper, errors, url, this.maxResponseSize, this.observations,
					(given != null) ? null : this.rateLimit);
		}

		// Everything is read now, so that the connection does not change with this builder.
		private Supplier<MadeWebClient> webClientFactory(@Nullable String key, String url) {
			Assert.hasText(key, "apiKey must not be empty");
			Supplier<WebClient.Builder> start = (this.webClientBuilder != null) ? this.webClientBuilder
					: WebClient::builder;
			// Following redirects, as Spring Boot's HTTP clients do by default: which of them a
			// request may follow is the KlusterAuthorizationConnector's to decide.
			Supplier<ClientHttpConnector> connector = (this.connector != null) ? this.connector
					: () -> new ReactorClientHttpConnector(HttpClient.create().followRedirect(true));
			KlusterConcurrencyLimit limit = this.concurrencyLimit;
			KlusterRateLimit rateLimit = this.rateLimit;
			List<KlusterWebClientCustomizer> customizers = List.copyOf(this.customizers);
			int maxInMemorySize = this.maxResponseSize;
			boolean followCrossOriginRedirects = this.followCrossOriginRedirects;
			return () -> {
				// clone(): a builder the application holds on to (Boot's is a prototype bean
				// for the same reason) keeps none of this connection's settings.
				WebClient.Builder builder = start.get()
					.clone()
					.baseUrl(url)
					.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(maxInMemorySize))
					.defaultHeaders((headers) -> headers.set(HttpHeaders.USER_AGENT, DEFAULT_USER_AGENT));
				// The first filters, so the outermost: a request waits for its budget before it
				// takes a slot, and the slot covers whatever the customizers add.
				if (rateLimit != null) {
					builder.filter(rateLimit);
				}
				if (limit != null) {
					builder.filter(limit);
				}
				customizers.forEach((customizer) -> customizer.customize(builder));
				// Set after the customizers, so that the key is always added below Spring's
				// logging and only for kluster.ai's own origin.
				ClientHttpConnector made = connector.get();
				builder.clientConnector(new KlusterAuthorizationConnector(made, key, url, followCrossOriginRedirects));
				return new MadeWebClient(builder.build(), made);
			};
		}

	}

	/**
	 * The {@code WebClient} and, when the connection made it, the connector under its
	 * authorization: the one whose transport {@link #warmUp()} starts.
	 */
	private record MadeWebClient(WebClient webClient, @Nullable ClientHttpConnector connector) {
	}

}
