package dev.kluster.boot.client;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * The configured way to kluster.ai that the clients share: a {@link WebClient} with the
 * base URL, the {@code Authorization} header and the application's customizations, the
 * {@link JsonMapper} and the {@link HttpErrorMapper}. Also usable directly for endpoints
 * the starter has no client for, such as embeddings.
 *
 * @param webClient client with base URL and authorization set
 * @param jsonMapper mapper for bodies the codecs do not read
 * @param errorMapper mapper of HTTP error answers to {@link KlusterApiException}s
 * @param baseUrl the checked base URL, without trailing slash
 * @param maxResponseSize most bytes of an answer, or of one event of a stream, held in
 * memory ({@code kluster.max-response-size})
 * @since 0.1.0
 */
public record KlusterConnection(WebClient webClient, JsonMapper jsonMapper, HttpErrorMapper errorMapper,
		String baseUrl, int maxResponseSize) {

	/** The default of {@code kluster.max-response-size}: 10 MB. */
	public static final int DEFAULT_MAX_RESPONSE_SIZE = 10 * 1024 * 1024;

	/**
	 * Create a connection with the default {@code maxResponseSize}.
	 * @param webClient client with base URL and authorization set
	 * @param jsonMapper mapper for bodies the codecs do not read
	 * @param errorMapper mapper of HTTP error answers
	 * @param baseUrl the checked base URL, without trailing slash
	 */
	public KlusterConnection(WebClient webClient, JsonMapper jsonMapper, HttpErrorMapper errorMapper, String baseUrl) {
		this(webClient, jsonMapper, errorMapper, baseUrl, DEFAULT_MAX_RESPONSE_SIZE);
	}

	// The record's own toString() would print the WebClient, whose builder may have been
	// given the key as a default header by an application's customizer.
	@Override
	public String toString() {
		return "KlusterConnection[baseUrl=" + this.baseUrl + "]";
	}

}
