package dev.kluster.boot.client;

import java.util.List;

import reactor.core.publisher.Mono;

import dev.kluster.boot.error.KlusterException;
import dev.kluster.boot.model.EmbeddingRequest;
import dev.kluster.boot.model.EmbeddingResponse;

/**
 * Reactive client of kluster.ai's OpenAI-compatible embeddings API
 * ({@code POST /embeddings}). Nothing is sent until the returned publisher is subscribed;
 * a request that breaks kluster.ai's rules fails with
 * {@link dev.kluster.boot.validation.KlusterValidationException} without being sent, and
 * every other failure is a {@link KlusterException}. Vectors are {@code float} arrays
 * whichever encoding they travelled in.
 *
 * @since 0.1.0
 */
public interface KlusterEmbeddingClient {

	/**
	 * Ask for embeddings.
	 * @param request the request; unset values are filled from the configured defaults
	 * @return the answer, with one vector per input in input order
	 */
	Mono<EmbeddingResponse> embed(EmbeddingRequest request);

	/**
	 * Embed one text with the default model.
	 * @param text the text
	 * @return its vector
	 */
	default Mono<float[]> embed(String text) {
		return embed(EmbeddingRequest.of(text)).map(EmbeddingResponse::vector);
	}

	/**
	 * Embed several texts in one request with the default model.
	 * @param texts the texts
	 * @return their vectors, in the order of the texts
	 */
	default Mono<List<float[]>> embedAll(List<String> texts) {
		return embed(EmbeddingRequest.builder().input(texts).build()).map(EmbeddingResponse::vectors);
	}

}
