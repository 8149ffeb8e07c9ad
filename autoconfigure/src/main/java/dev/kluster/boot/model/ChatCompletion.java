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
 * A chat completion ({@code chat.completion}). Fields kluster.ai adds and OpenAI does not
 * define ({@code prompt_logprobs}, {@code stop_reason}) are tolerated.
 *
 * @param id the completion id
 * @param object always {@code chat.completion}
 * @param created when it was created
 * @param model the model that answered
 * @param choices the choices; kluster.ai sends one
 * @param usage token usage
 * @param systemFingerprint OpenAI's backend fingerprint; kluster.ai does not send it
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatCompletion(@JsonProperty("id") @Nullable String id, @JsonProperty("object") @Nullable String object,
		@JsonProperty("created") @JsonDeserialize(using = EpochSecondsDeserializer.class) @JsonSerialize(
				using = EpochSecondsSerializer.class) @Nullable Instant created,
		@JsonProperty("model") @Nullable String model, @JsonProperty("choices") @Nullable List<Choice> choices,
		@JsonProperty("usage") @Nullable Usage usage,
		@JsonProperty("system_fingerprint") @Nullable String systemFingerprint) {

	/**
	 * The choices, never {@code null}.
	 * @return the choices, or an empty list
	 */
	@Override
	public List<Choice> choices() {
		return (this.choices != null) ? this.choices : List.of();
	}

	/**
	 * The text of the first choice, the common case of a single answer.
	 * @return the text, or an empty string when the answer has none
	 */
	public String text() {
		AssistantMessage message = firstMessage();
		return (message != null && message.content() != null) ? message.content() : "";
	}

	/**
	 * The answer as a message for the next request's history: {@code
	 * request.toBuilder().message(completion.message(), ChatMessage.user("..."))} goes on
	 * with the conversation.
	 * @return the first choice's message, see {@link AssistantMessage#toChatMessage()}
	 * @throws IllegalStateException when the completion has no message
	 */
	public ChatMessage message() {
		AssistantMessage message = firstMessage();
		if (message == null) {
			throw new IllegalStateException("Completion " + this.id + " has no message");
		}
		return message.toChatMessage();
	}

	/**
	 * Why the first choice stopped: {@code stop}, {@code length}, ...
	 * @return the finish reason, or {@code null} when the completion has no choice or none
	 * was sent
	 */
	public @Nullable String finishReason() {
		List<Choice> all = choices();
		return all.isEmpty() ? null : all.get(0).finishReason();
	}

	private @Nullable AssistantMessage firstMessage() {
		List<Choice> all = choices();
		return all.isEmpty() ? null : all.get(0).message();
	}

	/**
	 * One choice of a completion.
	 *
	 * @param index position of the choice
	 * @param message the generated message
	 * @param finishReason why generation stopped: {@code stop}, {@code length}, ...
	 * @param logprobs log probabilities, when requested
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Choice(@JsonProperty("index") int index, @JsonProperty("message") @Nullable AssistantMessage message,
			@JsonProperty("finish_reason") @Nullable String finishReason,
			@JsonProperty("logprobs") @Nullable Map<String, Object> logprobs) {
	}

}
