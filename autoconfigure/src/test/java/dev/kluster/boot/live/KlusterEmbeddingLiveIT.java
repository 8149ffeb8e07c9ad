package dev.kluster.boot.live;

import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kluster.boot.client.KlusterEmbeddingClient;
import dev.kluster.boot.model.EmbeddingRequest;
import dev.kluster.boot.model.EmbeddingResponse;
import dev.kluster.boot.model.EncodingFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * An embedding against kluster.ai itself, read by the starter's own types, in both
 * encodings. kluster.ai's reference names no embedding model, and the starter has no
 * default for {@code kluster.embedding.model}, so the probe asks the model set in
 * {@code KLUSTER_EMBEDDING_MODEL} and is skipped, saying so, without it.
 */
@ExtendWith(KlusterApiKeyCondition.class)
class KlusterEmbeddingLiveIT {

	static final String NO_MODEL = "Embedding probe skipped: set KLUSTER_EMBEDDING_MODEL to an embedding model "
			+ "your account lists (see docs/validation.md)";

	@Test
	void embeddingsComeBackAsTheSameVectorsInBothEncodings() {
		String model = System.getenv("KLUSTER_EMBEDDING_MODEL");
		if (model == null || model.isBlank()) {
			// failsafe keeps a skip's reason in its XML report only; say it on the console too
			System.out.println(NO_MODEL);
			Assumptions.abort(NO_MODEL);
		}
		LiveKluster.run((context) -> {
			KlusterEmbeddingClient embeddings = context.getBean(KlusterEmbeddingClient.class);
			EmbeddingRequest request = EmbeddingRequest.builder()
				.model(model)
				.input("The quick brown fox", "jumps over the lazy dog")
				.encodingFormat(EncodingFormat.FLOAT)
				.build();
			EmbeddingResponse floats = embeddings.embed(request).block(LiveKluster.TIMEOUT);
			EmbeddingResponse base64 = embeddings
				.embed(request.toBuilder().encodingFormat(EncodingFormat.BASE64).build())
				.block(LiveKluster.TIMEOUT);
			assertThat(floats).isNotNull();
			assertThat(base64).isNotNull();
			List<float[]> vectors = floats.vectors();
			assertThat(vectors).hasSize(2).allSatisfy((vector) -> assertThat(vector).isNotEmpty());
			assertThat(base64.vectors()).hasSize(2);
			for (int i = 0; i < vectors.size(); i++) {
				assertThat(base64.vectors().get(i)).containsExactly(vectors.get(i), within(1e-3f));
			}
			assertThat(floats.usage()).isNotNull();
			assertThat(floats.usage().promptTokens()).isPositive();
		});
	}

}
