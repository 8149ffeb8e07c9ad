package dev.kluster.sample;

import java.util.List;

import dev.kluster.boot.client.KlusterEmbeddingClient;
import dev.kluster.boot.model.EmbeddingRequest;
import dev.kluster.boot.model.EmbeddingResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * How alike two sentences are, from their embeddings: one request to kluster.ai for both
 * vectors through the injected {@link KlusterEmbeddingClient}, then their cosine
 * similarity.
 */
@RestController
class SimilarityController {

	private final KlusterEmbeddingClient embeddings;

	SimilarityController(KlusterEmbeddingClient embeddings) {
		this.embeddings = embeddings;
	}

	@PostMapping("/similarity")
	Mono<Similarity> similarity(@RequestBody Sentences sentences) {
		EmbeddingRequest request = EmbeddingRequest.builder().input(sentences.first(), sentences.second()).build();
		return this.embeddings.embed(request).map(Similarity::of);
	}

	/**
	 * The two sentences to compare.
	 *
	 * @param first a sentence
	 * @param second another sentence
	 */
	record Sentences(String first, String second) {
	}

	/**
	 * The answer.
	 *
	 * @param similarity the cosine similarity of the two vectors: 1 for the same direction
	 * @param dimensions the size of the vectors
	 * @param model the embedding model that answered
	 */
	record Similarity(double similarity, int dimensions, String model) {

		static Similarity of(EmbeddingResponse response) {
			List<float[]> vectors = response.vectors();
			return new Similarity(cosine(vectors.get(0), vectors.get(1)), vectors.get(0).length, response.model());
		}

		private static double cosine(float[] a, float[] b) {
			double dot = 0;
			double normA = 0;
			double normB = 0;
			for (int i = 0; i < a.length; i++) {
				dot += a[i] * b[i];
				normA += a[i] * a[i];
				normB += b[i] * b[i];
			}
			return dot / Math.sqrt(normA * normB);
		}

	}

}
