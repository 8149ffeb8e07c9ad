package dev.kluster.boot.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The message of a completion's choice, or the delta of a streamed chunk (where every
 * field may be absent).
 *
 * @param role the author, {@code assistant}
 * @param content the generated text
 * @param reasoningContent the reasoning text of reasoning models, when the model sends it
 * @param refusal OpenAI's refusal text, when sent
 * @param toolCalls tool calls; kluster.ai sends an empty list
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AssistantMessage(@JsonProperty("role") @Nullable Role role,
		@JsonProperty("content") @Nullable String content,
		@JsonProperty("reasoning_content") @Nullable String reasoningContent,
		@JsonProperty("refusal") @Nullable String refusal,
		@JsonProperty("tool_calls") @Nullable List<ToolCall> toolCalls) {

	/**
	 * An assistant message with text only.
	 * @param content the text
	 * @return the message
	 */
	public static AssistantMessage of(String content) {
		return new AssistantMessage(Role.ASSISTANT, content, null, null, null);
	}

	/**
	 * This answer as a message of the next request's history, so that a conversation goes
	 * on in one call. The reasoning text stays behind, since models expect only the answer
	 * back; an empty list of tool calls, which kluster.ai sends with every answer, stays
	 * behind too.
	 * @return an assistant message with this content, refusal and tool calls
	 */
	public ChatMessage toChatMessage() {
		List<ToolCall> calls = (this.toolCalls != null && !this.toolCalls.isEmpty()) ? this.toolCalls : null;
		return ChatMessage.builder(Role.ASSISTANT).content(this.content).refusal(this.refusal).toolCalls(calls).build();
	}

}
