package dev.kluster.boot.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The answer to an embedding request ({@code list} of {@code embedding} objects), OpenAI's
 * {@code CreateEmbeddingResponse}. Vectors are {@code float} arrays whichever
 * {@link EncodingFormat} they travelled in: Base64 vectors are decoded when the answer is
 * read.
 *
 * @param object always {@code list}
 * @param data one embedding per input
 * @param model the model that answered
 * @param usage token usage
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EmbeddingResponse(@JsonProperty("object") @Nullable String object,
		@JsonProperty("data") @Nullable List<Embedding> data, @JsonProperty("model") @Nullable String model,
		@JsonProperty("usage") @Nullable EmbeddingUsage usage) {

	/**
	 * The embeddings, never {@code null}, in the order of their {@code index}: the order of
	 * the inputs.
	 * @return the embeddings, or an empty list
	 */
	@Override
	public List<Embedding> data() {
		if (this.data == null) {
			return List.of();
		}
		// Servers send them in order; sorting here keeps the promise when one does not.
		List<Embedding> sorted = new ArrayList<>(this.data);
		sorted.sort(Comparator.comparingInt(Embedding::index));
		return sorted;
	}

	/**
	 * The vectors, in the order of the inputs.
	 * @return one vector per input
	 */
	public List<float[]> vectors() {
		return data().stream().map(Embedding::embedding).toList();
	}

	/**
	 * The vector of the first input, the common case of a single text.
	 * @return the vector
	 * @throws IllegalStateException when the answer has no embedding
	 */
	public float[] vector() {
		List<Embedding> embeddings = data();
		if (embeddings.isEmpty()) {
			throw new IllegalStateException("The answer has no embedding");
		}
		return embeddings.get(0).embedding();
	}

	/**
	 * Token usage of an embedding request: embeddings generate no tokens.
	 *
	 * @param promptTokens tokens in the input ({@code prompt_tokens})
	 * @param totalTokens tokens billed ({@code total_tokens})
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record EmbeddingUsage(@JsonProperty("prompt_tokens") int promptTokens,
			@JsonProperty("total_tokens") int totalTokens) {

		/**
		 * The usage as a chat's, with no completion tokens, for what records both alike.
		 * @return the usage
		 */
		public Usage toUsage() {
			return new Usage(this.promptTokens, 0, this.totalTokens, null, null);
		}

	}

	/**
	 * One vector.
	 *
	 * @param index the position of its input in the request
	 * @param object always {@code embedding}
	 * @param embedding the vector, decoded from Base64 when it travelled so
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Embedding(@JsonProperty("index") int index, @JsonProperty("object") @Nullable String object,
			@JsonProperty("embedding") @JsonDeserialize(using = EmbeddingVectorDeserializer.class) float[] embedding) {

		/**
		 * An embedding object.
		 * @param index the position of its input
		 * @param embedding the vector
		 * @return the embedding
		 */
		public static Embedding of(int index, float[] embedding) {
			return new Embedding(index, "embedding", embedding);
		}

		// A record compares arrays by identity: vectors are compared by their values.
		@Override
		public boolean equals(@Nullable Object other) {
			return this == other || (other instanceof Embedding that && this.index == that.index
					&& java.util.Objects.equals(this.object, that.object)
					&& Arrays.equals(this.embedding, that.embedding));
		}

		@Override
		public int hashCode() {
			return 31 * Integer.hashCode(this.index) + Arrays.hashCode(this.embedding);
		}

		@Override
		public String toString() {
			return "Embedding[index=" + this.index + ", dimensions="
					+ ((this.embedding != null) ? this.embedding.length : 0) + "]";
		}

	}

}
