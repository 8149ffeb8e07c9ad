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
 * @param promptTokens tokens in the prompt
 * @param completionTokens tokens generated
 * @param totalTokens sum of both
 * @param promptTokensDetails OpenAI's breakdown of prompt tokens, when sent
 * @param completionTokensDetails OpenAI's breakdown of completion tokens, when sent
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
