package dev.kluster.boot.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * One server-sent event of a streamed completion ({@code chat.completion.chunk}). The last
 * chunk may carry the usage of the whole completion.
 *
 * @param id the completion id, the same in every chunk
 * @param object always {@code chat.completion.chunk}
 * @param created when the completion was created
 * @param model the model that answers
 * @param choices the deltas of this chunk; may be empty in a usage-only last chunk
 * @param usage token usage, usually only in the last chunk
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatCompletionChunk(@JsonProperty("id") @Nullable String id,
		@JsonProperty("object") @Nullable String object,
		@JsonProperty("created") @JsonDeserialize(using = EpochSecondsDeserializer.class) @JsonSerialize(
				using = EpochSecondsSerializer.class) @Nullable Instant created,
		@JsonProperty("model") @Nullable String model, @JsonProperty("choices") @Nullable List<Choice> choices,
		@JsonProperty("usage") @Nullable Usage usage) {

	/**
	 * The choices, never {@code null}.
	 * @return the choices, or an empty list
	 */
	@Override
	public List<Choice> choices() {
		return (this.choices != null) ? this.choices : List.of();
	}

	/**
	 * The text this chunk adds to the first choice.
	 * @return the text, or an empty string when the chunk adds none
	 */
	public String text() {
		List<Choice> all = choices();
		if (all.isEmpty() || all.get(0).delta() == null || all.get(0).delta().content() == null) {
			return "";
		}
		return all.get(0).delta().content();
	}

	/**
	 * One choice's delta in a chunk.
	 *
	 * @param index position of the choice
	 * @param delta what this chunk adds
	 * @param finishReason why generation stopped, in the choice's last chunk
	 * @param logprobs log probabilities, when requested
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Choice(@JsonProperty("index") int index, @JsonProperty("delta") @Nullable AssistantMessage delta,
			@JsonProperty("finish_reason") @Nullable String finishReason,
			@JsonProperty("logprobs") @Nullable Map<String, Object> logprobs) {
	}

}
