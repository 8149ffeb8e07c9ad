package dev.kluster.boot.model;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Token usage of a completion. kluster.ai sends no token details, or sends them as
 * {@code null}; both read as {@code null} here.
 *
 * @param promptTokens tokens in the prompt ({@code prompt_tokens})
 * @param completionTokens tokens generated ({@code completion_tokens})
 * @param totalTokens sum of both ({@code total_tokens})
 * @param promptTokensDetails OpenAI's breakdown of prompt tokens
 * ({@code prompt_tokens_details}), or {@code null} when not sent, as from kluster.ai: counts
 * by kind, such as {@code "cached_tokens"} and {@code "audio_tokens"}, each a JSON number
 * read as an {@code Integer} (a {@code Long} when larger)
 * @param completionTokensDetails OpenAI's breakdown of completion tokens
 * ({@code completion_tokens_details}), or {@code null} when not sent, as from kluster.ai:
 * counts by kind, such as {@code "reasoning_tokens"}, {@code "audio_tokens"},
 * {@code "accepted_prediction_tokens"} and {@code "rejected_prediction_tokens"}, each a JSON
 * number read as an {@code Integer} (a {@code Long} when larger)
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Usage(@JsonProperty("prompt_tokens") int promptTokens,
		@JsonProperty("completion_tokens") int completionTokens, @JsonProperty("total_tokens") int totalTokens,
		@JsonProperty("prompt_tokens_details") @Nullable Map<String, Object> promptTokensDetails,
		@JsonProperty("completion_tokens_details") @Nullable Map<String, Object> completionTokensDetails) {

	/**
	 * Usage without token details.
	 * @param promptTokens tokens in the prompt
	 * @param completionTokens tokens generated
	 * @return the usage, with the total computed
	 */
	public static Usage of(int promptTokens, int completionTokens) {
		return new Usage(promptTokens, completionTokens, promptTokens + completionTokens, null, null);
	}

}
