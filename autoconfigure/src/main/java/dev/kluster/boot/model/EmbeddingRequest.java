package dev.kluster.boot.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/**
 * An embedding request ({@code POST /embeddings}), OpenAI's
 * {@code CreateEmbeddingRequest}: one text or several, or their tokens, to turn into
 * vectors. What kluster.ai does not support is reported by validation before anything is
 * sent.
 * <p>
 * Instances are immutable: built with {@link #builder()}, lists are unmodifiable copies.
 * {@link #toBuilder()} starts a modified copy.
 *
 * @param model model id of an embedding model
 * @param input what to embed, as it goes on the wire: a {@code String}, a
 * {@code List<String>}, a {@code List<Integer>} of tokens or a {@code List<List<Integer>>}
 * of token arrays; set it with the builder's {@code input(...)} and {@code tokens(...)}
 * @param encodingFormat how the vectors travel back; the client reads both as floats
 * @param dimensions size of the vectors, for models that can shorten them
 * @param user end-user identifier
 * @param extraBody body fields this type does not model, sent as they are; never {@code null}
 * @since 0.1.0
 */
@GeneratedBuilder
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonAutoDetect(getterVisibility = JsonAutoDetect.Visibility.NONE,
		isGetterVisibility = JsonAutoDetect.Visibility.NONE, fieldVisibility = JsonAutoDetect.Visibility.NONE)
@JsonPropertyOrder({ "model", "input" })
public record EmbeddingRequest(@JsonProperty("model") @Nullable String model,
		@JsonProperty("input") @Nullable Object input,
		@JsonProperty("encoding_format") @Nullable EncodingFormat encodingFormat,
		@JsonProperty("dimensions") @Nullable Integer dimensions, @JsonProperty("user") @Nullable String user,
		Map<String, Object> extraBody) {

	/**
	 * Create a request; prefer {@link #builder()}.
	 */
	public EmbeddingRequest {
		extraBody = (extraBody != null) ? Map.copyOf(extraBody) : Map.of();
	}

	/**
	 * Start building a request.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder(EmbeddingRequestBuilder.builder());
	}

	/**
	 * A request for the vector of one text, with the model left to the defaults.
	 * @param text the text
	 * @return the request
	 */
	public static EmbeddingRequest of(String text) {
		return builder().input(text).build();
	}

	/**
	 * A builder that starts from this request.
	 * @return a new builder with this request's values
	 */
	public Builder toBuilder() {
		return new Builder(EmbeddingRequestBuilder.builder(this));
	}

	/**
	 * How many vectors the request asks for: one per text or token array.
	 * @return the number of inputs, 0 when there is no input
	 */
	public int inputCount() {
		if (this.input instanceof List<?> list) {
			return (!list.isEmpty() && list.get(0) instanceof Integer) ? 1 : list.size();
		}
		return (this.input != null) ? 1 : 0;
	}

	/**
	 * Body fields this type does not model, sent as they are.
	 * @return the extra fields, never {@code null}
	 */
	@Override
	@JsonAnyGetter
	public Map<String, Object> extraBody() {
		return this.extraBody;
	}

	@Override
	public String toString() {
		// Input can be large or private: name the shape, not the text.
		return "EmbeddingRequest[model=" + this.model + ", inputs=" + inputCount() + ", encodingFormat="
				+ this.encodingFormat + "]";
	}

	/**
	 * Builder of {@link EmbeddingRequest}.
	 */
	public static final class Builder {

		private final EmbeddingRequestBuilder fields;

		private Builder(EmbeddingRequestBuilder fields) {
			this.fields = fields;
		}

		/**
		 * Set the model ({@code model}). Unset, {@code kluster.embedding.model} fills it.
		 * @param model the model id
		 * @return this builder
		 */
		public Builder model(@Nullable String model) {
			this.fields.model(model);
			return this;
		}

		/**
		 * Embed one text.
		 * @param text the text
		 * @return this builder
		 */
		public Builder input(String text) {
			this.fields.input(text);
			return this;
		}

		/**
		 * Embed several texts, one vector each, in this order.
		 * @param texts the texts
		 * @return this builder
		 */
		public Builder input(List<String> texts) {
			this.fields.input(List.copyOf(texts));
			return this;
		}

		/**
		 * Embed several texts, one vector each, in this order.
		 * @param texts the texts
		 * @return this builder
		 */
		public Builder input(String... texts) {
			return input(List.of(texts));
		}

		/**
		 * Embed one text given as the model's token ids.
		 * @param tokens the token ids
		 * @return this builder
		 */
		public Builder tokens(int... tokens) {
			List<Integer> list = new ArrayList<>(tokens.length);
			for (int token : tokens) {
				list.add(token);
			}
			this.fields.input(List.copyOf(list));
			return this;
		}

		/**
		 * Embed several texts given as the model's token ids, one vector each.
		 * @param tokens one list of token ids per text
		 * @return this builder
		 */
		public Builder tokens(List<List<Integer>> tokens) {
			this.fields.input(tokens.stream().map(List::copyOf).toList());
			return this;
		}

		/**
		 * Set the input as it goes on the wire; see {@link EmbeddingRequest#input()}.
		 * @param input the input, or {@code null} to unset it
		 * @return this builder
		 */
		public Builder rawInput(@Nullable Object input) {
			this.fields.input(input);
			return this;
		}

		/**
		 * Set how the vectors travel back ({@code encoding_format}).
		 * @param encodingFormat the format
		 * @return this builder
		 */
		public Builder encodingFormat(@Nullable EncodingFormat encodingFormat) {
			this.fields.encodingFormat(encodingFormat);
			return this;
		}

		/**
		 * Set the size of the vectors ({@code dimensions}).
		 * @param dimensions the number of dimensions
		 * @return this builder
		 */
		public Builder dimensions(@Nullable Integer dimensions) {
			this.fields.dimensions(dimensions);
			return this;
		}

		/**
		 * Set the end-user identifier ({@code user}).
		 * @param user the identifier
		 * @return this builder
		 */
		public Builder user(@Nullable String user) {
			this.fields.user(user);
			return this;
		}

		/**
		 * Add a body field this type does not model. Extra fields are validated like the
		 * typed ones.
		 * @param name the JSON field name
		 * @param value the value, serialized with Jackson
		 * @return this builder
		 */
		public Builder extraBody(String name, Object value) {
			this.fields.extraBody(ExtraBody.with(this.fields.extraBody(), name, value));
			return this;
		}

		/**
		 * Replace all extra body fields.
		 * @param extraBody the fields, or {@code null} for none
		 * @return this builder
		 */
		public Builder extraBody(@Nullable Map<String, Object> extraBody) {
			this.fields.extraBody(extraBody);
			return this;
		}

		/**
		 * Build the request.
		 * @return the request
		 */
		public EmbeddingRequest build() {
			return this.fields.build();
		}

	}

}
