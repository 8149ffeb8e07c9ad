package dev.kluster.boot.client;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.kluster.boot.model.ChatCompletionRequest;

/**
 * Values that fill whatever a request leaves unset, usually bound from
 * {@code kluster.chat.*}. A value set on the request always wins.
 *
 * @param model model used when a request names none
 * @param temperature default sampling temperature
 * @param topP default nucleus sampling mass
 * @param maxCompletionTokens default upper bound of generated tokens
 * @param frequencyPenalty default frequency penalty
 * @param presencePenalty default presence penalty
 * @param stop default stop sequences
 * @since 0.1.0
 */
public record ChatDefaults(@Nullable String model, @Nullable Double temperature, @Nullable Double topP,
		@Nullable Integer maxCompletionTokens, @Nullable Double frequencyPenalty, @Nullable Double presencePenalty,
		@Nullable List<String> stop) {

	/** The default model, the default of {@code kluster.chat.model}. */
	public static final String DEFAULT_MODEL = "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo";

	/** No defaults: requests go out as built. */
	public static final ChatDefaults NONE = new ChatDefaults(null, null, null, null, null, null, null);

	/**
	 * The defaults of the auto-configuration: the {@link #DEFAULT_MODEL default model}
	 * only.
	 * @return the defaults
	 */
	public static ChatDefaults defaults() {
		return model(DEFAULT_MODEL);
	}

	/**
	 * Defaults with a model only.
	 * @param model the default model
	 * @return the defaults
	 */
	public static ChatDefaults model(String model) {
		return new ChatDefaults(model, null, null, null, null, null, null);
	}

	/**
	 * Fill what the request leaves unset.
	 * @param request the request as built by the caller
	 * @return the same instance when there is nothing to fill, otherwise a filled copy
	 */
	public ChatCompletionRequest applyTo(ChatCompletionRequest request) {
		if (!fills(request)) {
			return request;
		}
		ChatCompletionRequest.Builder builder = request.toBuilder();
		if (request.model() == null) {
			builder.model(this.model);
		}
		if (request.temperature() == null) {
			builder.temperature(this.temperature);
		}
		if (request.topP() == null) {
			builder.topP(this.topP);
		}
		if (request.maxCompletionTokens() == null) {
			builder.maxCompletionTokens(this.maxCompletionTokens);
		}
		if (request.frequencyPenalty() == null) {
			builder.frequencyPenalty(this.frequencyPenalty);
		}
		if (request.presencePenalty() == null) {
			builder.presencePenalty(this.presencePenalty);
		}
		if (request.stop() == null) {
			builder.stop(this.stop);
		}
		return builder.build();
	}

	// Checked first so that the common case, a request that sets everything it needs,
	// allocates no copy.
	private boolean fills(ChatCompletionRequest request) {
		return (request.model() == null && this.model != null)
				|| (request.temperature() == null && this.temperature != null)
				|| (request.topP() == null && this.topP != null)
				|| (request.maxCompletionTokens() == null && this.maxCompletionTokens != null)
				|| (request.frequencyPenalty() == null && this.frequencyPenalty != null)
				|| (request.presencePenalty() == null && this.presencePenalty != null)
				|| (request.stop() == null && this.stop != null);
	}

}
