package dev.kluster.docs.embeddings;

// tag::embeddings-similarity[]
import java.util.List;
import reactor.core.publisher.Mono;
import dev.kluster.boot.client.KlusterEmbeddingClient;
import org.springframework.stereotype.Service;

@Service
public class SimilarityService {

	private final KlusterEmbeddingClient embeddings;

	public SimilarityService(KlusterEmbeddingClient embeddings) {
		this.embeddings = embeddings;
	}

	// 1 for texts of the same meaning, near 0 for unrelated ones
	public Mono<Double> similarity(String first, String second) {
		return this.embeddings.embedAll(List.of(first, second))
			.map((vectors) -> cosine(vectors.get(0), vectors.get(1)));
	}

	static double cosine(float[] a, float[] b) {
		double dot = 0, normA = 0, normB = 0;
		for (int i = 0; i < a.length; i++) {
			dot += a[i] * b[i];
			normA += a[i] * a[i];
			normB += b[i] * b[i];
		}
		return dot / Math.sqrt(normA * normB);
	}

}
// end::embeddings-similarity[]
