package dev.kluster.boot.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/**
 * A message of a chat completion request. The content is either text or a list of
 * {@link ContentPart content parts} (text and images for vision models).
 * <p>
 * The OpenAI fields {@code name}, {@code refusal}, {@code audio}, {@code tool_calls} and
 * {@code function_call} exist so that ported code compiles; kluster.ai does not support
 * them and validation reports them by their JSON path ({@code messages[2].name}).
 * <p>
 * Instances are immutable: built with {@link #builder(Role)}, lists and maps are
 * unmodifiable copies.
 *
 * @param role the author of the message
 * @param text text content, or {@code null} when the content is made of parts
 * @param parts content parts, or {@code null} when the content is plain text
 * @param name OpenAI's name of the author
 * @param refusal OpenAI's refusal text of an assistant message
 * @param audio OpenAI's reference to an earlier audio answer
 * @param toolCalls tool calls of an assistant message
 * @param functionCall OpenAI's deprecated function call of an assistant message
 * @param toolCallId the call a tool message answers
 * @since 0.1.0
 */
// A field is one component and one setter of the Builder: see ChatCompletionRequest for why.
@GeneratedBuilder
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonAutoDetect(getterVisibility = JsonAutoDetect.Visibility.NONE,
		isGetterVisibility = JsonAutoDetect.Visibility.NONE, fieldVisibility = JsonAutoDetect.Visibility.NONE)
@JsonPropertyOrder({ "role", "content" })
public record ChatMessage(@JsonProperty("role") Role role, @Nullable String text, @Nullable List<ContentPart> parts,
		@JsonProperty("name") @Nullable String name,
		@JsonProperty("refusal") @Nullable String refusal,
		@JsonProperty("audio") @Nullable Map<String, Object> audio,
		@JsonProperty("tool_calls") @Nullable List<ToolCall> toolCalls,
		@JsonProperty("function_call") ToolCall.@Nullable FunctionCall functionCall,
		@JsonProperty("tool_call_id") @Nullable String toolCallId) {

	private static final int TO_STRING_LIMIT = 100;

	/**
	 * Create a message; prefer the factories and {@link #builder(Role)}.
	 */
	public ChatMessage {
		Objects.requireNonNull(role, "role must not be null");
	}

	/**
	 * A system message.
	 * @param text the instructions
	 * @return the message
	 */
	public static ChatMessage system(String text) {
		return builder(Role.SYSTEM).content(text).build();
	}

	/**
	 * A user message with text content.
	 * @param text the text
	 * @return the message
	 */
	public static ChatMessage user(String text) {
		return builder(Role.USER).content(text).build();
	}

	/**
	 * A user message with content parts, for example text and an image.
	 * @param parts the parts
	 * @return the message
	 */
	public static ChatMessage user(ContentPart... parts) {
		return builder(Role.USER).content(List.of(parts)).build();
	}

	/**
	 * An assistant message, for earlier turns of a conversation. To send back an answer,
	 * {@link ChatCompletion#message()} is shorter.
	 * @param text the assistant's text
	 * @return the message
	 */
	public static ChatMessage assistant(String text) {
		return builder(Role.ASSISTANT).content(text).build();
	}

	/**
	 * Start building a message.
	 * @param role the author of the message
	 * @return a new builder
	 */
	public static Builder builder(Role role) {
		return new Builder(ChatMessageBuilder.builder().role(role));
	}

	/**
	 * A builder that starts from this message.
	 * @return a new builder with this message's values
	 */
	public Builder toBuilder() {
		return new Builder(ChatMessageBuilder.builder(this));
	}

	/**
	 * Content as it goes on the wire: a string or an array of parts.
	 * @return the text, the parts, or {@code null}
	 */
	@JsonProperty("content")
	public @Nullable Object content() {
		return (this.parts != null) ? this.parts : this.text;
	}

	@Override
	public String toString() {
		// Content can be long (a document, an image as a data URL): show its start only.
		return "ChatMessage[role=" + this.role.wireName() + ", content=" + excerpt() + "]";
	}

	private @Nullable String excerpt() {
		if (this.parts != null) {
			return this.parts.size() + " parts";
		}
		if (this.text == null || this.text.length() <= TO_STRING_LIMIT) {
			return this.text;
		}
		return this.text.substring(0, TO_STRING_LIMIT) + "... (" + this.text.length() + " chars)";
	}

	/**
	 * Builder of {@link ChatMessage}.
	 */
	public static final class Builder {

		private final ChatMessageBuilder fields;

		private Builder(ChatMessageBuilder fields) {
			this.fields = fields;
		}

		/**
		 * Set text content, replacing any parts.
		 * @param text the text
		 * @return this builder
		 */
		public Builder content(@Nullable String text) {
			this.fields.text(text).parts(null);
			return this;
		}

		/**
		 * Set content parts, replacing any text.
		 * @param parts the parts
		 * @return this builder
		 */
		public Builder content(@Nullable List<ContentPart> parts) {
			this.fields.parts(parts).text(null);
			return this;
		}

		/**
		 * Set OpenAI's {@code name} of the author. Not supported by kluster.ai.
		 * @param name the name
		 * @return this builder
		 */
		public Builder name(@Nullable String name) {
			this.fields.name(name);
			return this;
		}

		/**
		 * Set OpenAI's {@code refusal} of an assistant message. Not supported by kluster.ai.
		 * @param refusal the refusal text
		 * @return this builder
		 */
		public Builder refusal(@Nullable String refusal) {
			this.fields.refusal(refusal);
			return this;
		}

		/**
		 * Set OpenAI's {@code audio} reference. Not supported by kluster.ai.
		 * @param audio the reference as a JSON object, for example {@code Map.of("id", "audio_1")}
		 * @return this builder
		 */
		public Builder audio(@Nullable Map<String, Object> audio) {
			this.fields.audio(audio);
			return this;
		}

		/**
		 * Set the {@code tool_calls} of an assistant message. Not supported by kluster.ai.
		 * @param toolCalls the calls
		 * @return this builder
		 */
		public Builder toolCalls(@Nullable List<ToolCall> toolCalls) {
			this.fields.toolCalls(toolCalls);
			return this;
		}

		/**
		 * Set OpenAI's deprecated {@code function_call}. Not supported by kluster.ai.
		 * @param functionCall the call
		 * @return this builder
		 */
		public Builder functionCall(ToolCall.@Nullable FunctionCall functionCall) {
			this.fields.functionCall(functionCall);
			return this;
		}

		/**
		 * Set the {@code tool_call_id} a tool message answers.
		 * @param toolCallId the id of the call
		 * @return this builder
		 */
		public Builder toolCallId(@Nullable String toolCallId) {
			this.fields.toolCallId(toolCallId);
			return this;
		}

		/**
		 * Build the message.
		 * @return the immutable message
		 */
		public ChatMessage build() {
			return this.fields.build();
		}

	}

}
