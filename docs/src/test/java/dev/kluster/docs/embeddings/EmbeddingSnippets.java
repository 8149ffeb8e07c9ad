package dev.kluster.docs.embeddings;

import java.util.List;

import reactor.core.publisher.Mono;

import dev.kluster.boot.client.KlusterEmbeddingClient;
import dev.kluster.boot.model.EmbeddingRequest;
import dev.kluster.boot.model.EmbeddingResponse;
import dev.kluster.boot.model.EncodingFormat;
import dev.kluster.boot.validation.KlusterValidationException;

/**
 * The fragments of embeddings.md, each in a method that gives it what it uses.
 */
class EmbeddingSnippets {

	private final KlusterEmbeddingClient embeddings;

	EmbeddingSnippets(KlusterEmbeddingClient embeddings) {
		this.embeddings = embeddings;
	}

	Mono<float[]> oneText() {
		// tag::embeddings-one-text[]
		Mono<float[]> vector = embeddings.embed("The quick brown fox");
		// end::embeddings-one-text[]
		return vector;
	}

	Mono<List<float[]>> request() {
		// tag::embeddings-request[]
		EmbeddingRequest request = EmbeddingRequest.builder()
			.model("your-embedding-model")
			.input("The quick brown fox", "A lazy dog")
			.encodingFormat(EncodingFormat.BASE64)
			.user("user-1234")
			.build();

		Mono<List<float[]>> vectors = embeddings.embed(request)
			.map(EmbeddingResponse::vectors);          // one float[] per input, in input order
		// end::embeddings-request[]
		return vectors;
	}

	Mono<EmbeddingResponse> refused() {
		// tag::embeddings-refused[]
		EmbeddingRequest request = EmbeddingRequest.builder()
			.input("The quick brown fox")
			.dimensions(256)
			.build();

		embeddings.embed(request)
			.onErrorResume(KlusterValidationException.class, ex -> {
				ex.paths();        // [dimensions], and [model] when kluster.embedding.model is not set
				return Mono.empty();
			});
		// end::embeddings-refused[]
		return embeddings.embed(request);
	}

}
