package dev.kluster.docs.springai;

import java.util.List;

import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;

/**
 * The snippet of spring-ai.md that uses an {@link EmbeddingModel}; run by
 * {@link SpringAiSnippetsTests}.
 */
class EmbeddingModelSnippets {

	private final EmbeddingModel embeddingModel;

	EmbeddingModelSnippets(EmbeddingModel embeddingModel) {
		this.embeddingModel = embeddingModel;
	}

	EmbeddingResponse embed() {
		// tag::spring-ai-embedding-model[]
		float[] vector = embeddingModel.embed("The quick brown fox");      // kluster.embedding.model
		EmbeddingResponse response = embeddingModel.call(new EmbeddingRequest(
				List.of("The quick brown fox", "A lazy dog"),
				EmbeddingOptions.builder().model("your-embedding-model").build()));
		float[] second = response.getResults().get(1).getOutput();        // one per text, in order
		Integer promptTokens = response.getMetadata().getUsage().getPromptTokens();
		// end::spring-ai-embedding-model[]
		return response;
	}

}
