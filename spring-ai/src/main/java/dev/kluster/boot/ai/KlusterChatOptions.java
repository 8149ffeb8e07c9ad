package dev.kluster.boot.ai;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.kluster.boot.model.KlusterOptions;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.DefaultChatOptionsBuilder;

/**
 * Spring AI {@link ChatOptions} for kluster.ai: the portable options, and what a
 * kluster.ai request adds to them ({@code seed}, {@code user}, free-form {@code metadata}
 * and kluster.ai's own options, sent as {@code metadata["@kluster.ai"]}).
 * <p>
 * {@link #getMaxTokens() max tokens} go on the wire as {@code max_completion_tokens}, the
 * field kluster.ai supports, and {@link #getTopK() top k} as {@code top_k}. Unset options
 * are filled from {@code kluster.chat.*}, as for every call of the client. Instances are
 * immutable: {@link #mutate()} starts a changed copy.
 *
 * @since 0.1.0
 */
public final class KlusterChatOptions implements ChatOptions {

	private final @Nullable String model;

	private final @Nullable Double frequencyPenalty;

	private final @Nullable Integer maxTokens;

	private final @Nullable Double presencePenalty;

	private final @Nullable List<String> stopSequences;

	private final @Nullable Double temperature;

	private final @Nullable Integer topK;

	private final @Nullable Double topP;

	private final @Nullable Long seed;

	private final @Nullable String user;

	private final @Nullable Map<String, String> metadata;

	private final @Nullable KlusterOptions klusterOptions;

	private KlusterChatOptions(@Nullable String model, @Nullable Double frequencyPenalty, @Nullable Integer maxTokens,
			@Nullable Double presencePenalty, @Nullable List<String> stopSequences, @Nullable Double temperature,
			@Nullable Integer topK, @Nullable Double topP, @Nullable Long seed, @Nullable String user,
			@Nullable Map<String, String> metadata, @Nullable KlusterOptions klusterOptions) {
		this.model = model;
		this.frequencyPenalty = frequencyPenalty;
		this.maxTokens = maxTokens;
		this.presencePenalty = presencePenalty;
		this.stopSequences = (stopSequences != null) ? List.copyOf(stopSequences) : null;
		this.temperature = temperature;
		this.topK = topK;
		this.topP = topP;
		this.seed = seed;
		this.user = user;
		this.metadata = (metadata != null) ? Map.copyOf(metadata) : null;
		this.klusterOptions = klusterOptions;
	}

	/**
	 * Start building options.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Options with the values of other options: the portable ones of any
	 * {@link ChatOptions}, and all of them of {@code KlusterChatOptions}.
	 * @param options the options to copy
	 * @return the options as kluster.ai options
	 */
	public static KlusterChatOptions from(ChatOptions options) {
		if (options instanceof KlusterChatOptions klusterChatOptions) {
			return klusterChatOptions;
		}
		return builder().combineWith(options.mutate()).build();
	}

	@Override
	public Builder mutate() {
		Builder builder = builder().model(this.model)
			.frequencyPenalty(this.frequencyPenalty)
			.maxTokens(this.maxTokens)
			.presencePenalty(this.presencePenalty)
			.stopSequences(this.stopSequences)
			.temperature(this.temperature)
			.topK(this.topK)
			.topP(this.topP);
		return builder.seed(this.seed).user(this.user).metadata(this.metadata).klusterOptions(this.klusterOptions);
	}

	@Override
	public @Nullable String getModel() {
		return this.model;
	}

	@Override
	public @Nullable Double getFrequencyPenalty() {
		return this.frequencyPenalty;
	}

	/**
	 * The most tokens to generate, sent as {@code max_completion_tokens}.
	 * @return the limit, or {@code null} when unset
	 */
	@Override
	public @Nullable Integer getMaxTokens() {
		return this.maxTokens;
	}

	@Override
	public @Nullable Double getPresencePenalty() {
		return this.presencePenalty;
	}

	@Override
	public @Nullable List<String> getStopSequences() {
		return this.stopSequences;
	}

	@Override
	public @Nullable Double getTemperature() {
		return this.temperature;
	}

	/**
	 * Top-k sampling, sent as {@code top_k}, which the models kluster.ai serves accept
	 * beside OpenAI's fields.
	 * @return the value, or {@code null} when unset
	 */
	@Override
	public @Nullable Integer getTopK() {
		return this.topK;
	}

	@Override
	public @Nullable Double getTopP() {
		return this.topP;
	}

	/**
	 * The seed of best-effort repeatable sampling ({@code seed}).
	 * @return the seed, or {@code null} when unset
	 */
	public @Nullable Long getSeed() {
		return this.seed;
	}

	/**
	 * An id of the end user ({@code user}).
	 * @return the id, or {@code null} when unset
	 */
	public @Nullable String getUser() {
		return this.user;
	}

	/**
	 * Free-form metadata entries ({@code metadata}), without kluster.ai's options.
	 * @return the entries, or {@code null} when unset
	 */
	public @Nullable Map<String, String> getMetadata() {
		return this.metadata;
	}

	/**
	 * kluster.ai's own options, sent as {@code metadata["@kluster.ai"]}.
	 * @return the options, or {@code null} when unset
	 */
	public @Nullable KlusterOptions getKlusterOptions() {
		return this.klusterOptions;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof KlusterChatOptions that && Objects.equals(this.model, that.model)
				&& Objects.equals(this.frequencyPenalty, that.frequencyPenalty)
				&& Objects.equals(this.maxTokens, that.maxTokens)
				&& Objects.equals(this.presencePenalty, that.presencePenalty)
				&& Objects.equals(this.stopSequences, that.stopSequences)
				&& Objects.equals(this.temperature, that.temperature) && Objects.equals(this.topK, that.topK)
				&& Objects.equals(this.topP, that.topP) && Objects.equals(this.seed, that.seed)
				&& Objects.equals(this.user, that.user) && Objects.equals(this.metadata, that.metadata)
				&& Objects.equals(this.klusterOptions, that.klusterOptions));
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.model, this.frequencyPenalty, this.maxTokens, this.presencePenalty, this.stopSequences,
				this.temperature, this.topK, this.topP, this.seed, this.user, this.metadata, this.klusterOptions);
	}

	@Override
	public String toString() {
		// The metadata and the user id may be personal: name the model and the sampling only.
		return "KlusterChatOptions[model=" + this.model + ", temperature=" + this.temperature + ", topP=" + this.topP
				+ ", maxTokens=" + this.maxTokens + "]";
	}

	/**
	 * Builder of {@link KlusterChatOptions}. It combines with Spring AI's own builders, as
	 * Spring AI's {@code ChatClient} does with the model's options and a request's.
	 */
	public static final class Builder extends DefaultChatOptionsBuilder<Builder> {

		private @Nullable Long seed;

		private @Nullable String user;

		private @Nullable Map<String, String> metadata;

		private @Nullable KlusterOptions klusterOptions;

		private Builder() {
		}

		/**
		 * Set {@code seed}, for repeatable sampling where the model supports it.
		 * @param seed any value
		 * @return this builder
		 */
		public Builder seed(@Nullable Long seed) {
			this.seed = seed;
			return this;
		}

		/**
		 * Set {@code user}, an id of the end user.
		 * @param user the id
		 * @return this builder
		 */
		public Builder user(@Nullable String user) {
			this.user = user;
			return this;
		}

		/**
		 * Set free-form {@code metadata} entries.
		 * @param metadata the entries
		 * @return this builder
		 */
		public Builder metadata(@Nullable Map<String, String> metadata) {
			this.metadata = (metadata != null) ? new LinkedHashMap<>(metadata) : null;
			return this;
		}

		/**
		 * Set kluster.ai's own options ({@code metadata["@kluster.ai"]}).
		 * @param klusterOptions the options
		 * @return this builder
		 */
		public Builder klusterOptions(@Nullable KlusterOptions klusterOptions) {
			this.klusterOptions = klusterOptions;
			return this;
		}

		@Override
		public Builder clone() {
			Builder copy = super.clone();
			copy.metadata = (this.metadata != null) ? new LinkedHashMap<>(this.metadata) : null;
			return copy;
		}

		/**
		 * Take the values the other builder sets over this one's; metadata entries are
		 * merged, as Spring AI merges maps of options.
		 * @param other the builder whose values win
		 * @return this builder
		 */
		@Override
		public Builder combineWith(ChatOptions.Builder<?> other) {
			super.combineWith(other);
			if (other instanceof Builder that) {
				if (that.seed != null) {
					this.seed = that.seed;
				}
				if (that.user != null) {
					this.user = that.user;
				}
				if (that.metadata != null) {
					Map<String, String> merged = (this.metadata != null) ? this.metadata : new LinkedHashMap<>();
					merged.putAll(that.metadata);
					this.metadata = merged;
				}
				if (that.klusterOptions != null) {
					this.klusterOptions = that.klusterOptions;
				}
			}
			return this;
		}

		@Override
		public KlusterChatOptions build() {
			return new KlusterChatOptions(this.model, this.frequencyPenalty, this.maxTokens, this.presencePenalty,
					this.stopSequences, this.temperature, this.topK, this.topP, this.seed, this.user, this.metadata,
					this.klusterOptions);
		}

	}

}
