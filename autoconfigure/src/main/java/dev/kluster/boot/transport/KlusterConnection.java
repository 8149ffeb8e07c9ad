package dev.kluster.boot.transport;

import java.util.function.Supplier;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.reactive.function.client.WebClient;
import dev.kluster.boot.error.KlusterApiException;
import dev.kluster.boot.observation.KlusterObservations;

/**
 * The configured way to kluster.ai that the clients share: a {@link WebClient} with the
 * base URL, the {@code Authorization} header and the application's customizations, the
 * {@link JsonMapper}, the {@link HttpErrorMapper} and the {@link KlusterObservations}, so
 * that every client built on the connection is observed the same way. Also usable directly for endpoints
 * the starter has no client for, such as embeddings.
 * <p>
 * The {@code WebClient} may be supplied, and is then built on first use: Spring Boot's
 * {@code WebClient.Builder} brings its HTTP connector with it, whose transport an
 * application should not start before it makes its first call.
 *
 * @since 0.1.0
 */
public final class KlusterConnection {

	/** The default of {@code kluster.max-response-size}: 10 MB. */
	public static final int DEFAULT_MAX_RESPONSE_SIZE = 10 * 1024 * 1024;

	private final SingletonSupplier<WebClient> webClient;

	private final JsonMapper jsonMapper;

	private final HttpErrorMapper errorMapper;

	private final String baseUrl;

	private final int maxResponseSize;

	private final KlusterObservations observations;

	/**
	 * Create a connection with the default {@code maxResponseSize}.
	 * @param webClient client with base URL and authorization set
	 * @param jsonMapper mapper for bodies the codecs do not read
	 * @param errorMapper mapper of HTTP error answers
	 * @param baseUrl the checked base URL, without trailing slash
	 */
	public KlusterConnection(WebClient webClient, JsonMapper jsonMapper, HttpErrorMapper errorMapper, String baseUrl) {
		this(() -> webClient, jsonMapper, errorMapper, baseUrl, DEFAULT_MAX_RESPONSE_SIZE);
	}

	/**
	 * Create a connection.
	 * @param webClient supplies the client with base URL and authorization set, called
	 * once, on first use
	 * @param jsonMapper mapper for bodies the codecs do not read
	 * @param errorMapper mapper of HTTP error answers to {@link KlusterApiException}s
	 * @param baseUrl the checked base URL, without trailing slash
	 * @param maxResponseSize most bytes of an answer, or of one event of a stream, held in
	 * memory ({@code kluster.max-response-size})
	 */
	public KlusterConnection(Supplier<WebClient> webClient, JsonMapper jsonMapper, HttpErrorMapper errorMapper,
			String baseUrl, int maxResponseSize) {
		this(webClient, jsonMapper, errorMapper, baseUrl, maxResponseSize, KlusterObservations.NOOP);
	}

	/**
	 * Create a connection whose clients are observed.
	 * @param webClient supplies the client with base URL and authorization set, called
	 * once, on first use
	 * @param jsonMapper mapper for bodies the codecs do not read
	 * @param errorMapper mapper of HTTP error answers to {@link KlusterApiException}s
	 * @param baseUrl the checked base URL, without trailing slash
	 * @param maxResponseSize most bytes of an answer, or of one event of a stream, held in
	 * memory ({@code kluster.max-response-size})
	 * @param observations how the calls of clients on this connection are observed; the
	 * server keys are taken from {@code baseUrl}
	 */
	public KlusterConnection(Supplier<WebClient> webClient, JsonMapper jsonMapper, HttpErrorMapper errorMapper,
			String baseUrl, int maxResponseSize, KlusterObservations observations) {
		// Unobserved calls have no server keys to show.
		this.observations = observations.isNoop() ? observations : observations.withBaseUrl(baseUrl);
		this.webClient = SingletonSupplier.of(webClient);
		this.jsonMapper = jsonMapper;
		this.errorMapper = errorMapper;
		this.baseUrl = baseUrl;
		this.maxResponseSize = maxResponseSize;
	}

	/**
	 * The client with base URL and authorization set, built on the first call.
	 * @return the client
	 */
	public WebClient webClient() {
		return this.webClient.obtain();
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
	 * The checked base URL.
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

	// Never the WebClient: its builder may have been given the key as a default header by
	// an application's customizer.
	@Override
	public String toString() {
		return "KlusterConnection[baseUrl=" + this.baseUrl + "]";
	}

}
