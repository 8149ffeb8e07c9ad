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
 *
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonAutoDetect(getterVisibility = JsonAutoDetect.Visibility.NONE,
		isGetterVisibility = JsonAutoDetect.Visibility.NONE, fieldVisibility = JsonAutoDetect.Visibility.NONE)
@JsonPropertyOrder({ "role", "content" })
public final class ChatMessage {

	private final Role role;

	private final @Nullable String text;

	private final @Nullable List<ContentPart> parts;

	private final @Nullable String name;

	private final @Nullable String refusal;

	private final @Nullable Map<String, Object> audio;

	private final @Nullable List<ToolCall> toolCalls;

	private final ToolCall.@Nullable FunctionCall functionCall;

	private final @Nullable String toolCallId;

	private ChatMessage(Builder builder) {
		this.role = Objects.requireNonNull(builder.role, "role must not be null");
		this.text = builder.text;
		this.parts = (builder.parts != null) ? List.copyOf(builder.parts) : null;
		this.name = builder.name;
		this.refusal = builder.refusal;
		this.audio = (builder.audio != null) ? Map.copyOf(builder.audio) : null;
		this.toolCalls = (builder.toolCalls != null) ? List.copyOf(builder.toolCalls) : null;
		this.functionCall = builder.functionCall;
		this.toolCallId = builder.toolCallId;
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
	 * An assistant message, for earlier turns of a conversation.
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
		return new Builder(role);
	}

	/**
	 * A builder that starts from this message.
	 * @return a new builder with this message's values
	 */
	public Builder toBuilder() {
		Builder builder = new Builder(this.role);
		builder.text = this.text;
		builder.parts = this.parts;
		builder.name = this.name;
		builder.refusal = this.refusal;
		builder.audio = this.audio;
		builder.toolCalls = this.toolCalls;
		builder.functionCall = this.functionCall;
		builder.toolCallId = this.toolCallId;
		return builder;
	}

	@JsonProperty("role")
	public Role role() {
		return this.role;
	}

	/**
	 * Text content, or {@code null} when the content is made of parts.
	 * @return the text
	 */
	public @Nullable String text() {
		return this.text;
	}

	/**
	 * Content parts, or {@code null} when the content is plain text.
	 * @return the parts
	 */
	public @Nullable List<ContentPart> parts() {
		return this.parts;
	}

	/**
	 * Content as it goes on the wire: a string or an array of parts.
	 * @return the text, the parts, or {@code null}
	 */
	@JsonProperty("content")
	public @Nullable Object content() {
		return (this.parts != null) ? this.parts : this.text;
	}

	@JsonProperty("name")
	public @Nullable String name() {
		return this.name;
	}

	@JsonProperty("refusal")
	public @Nullable String refusal() {
		return this.refusal;
	}

	@JsonProperty("audio")
	public @Nullable Map<String, Object> audio() {
		return this.audio;
	}

	@JsonProperty("tool_calls")
	public @Nullable List<ToolCall> toolCalls() {
		return this.toolCalls;
	}

	@JsonProperty("function_call")
	public ToolCall.@Nullable FunctionCall functionCall() {
		return this.functionCall;
	}

	@JsonProperty("tool_call_id")
	public @Nullable String toolCallId() {
		return this.toolCallId;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof ChatMessage that)) {
			return false;
		}
		return this.role == that.role && Objects.equals(this.text, that.text) && Objects.equals(this.parts, that.parts)
				&& Objects.equals(this.name, that.name) && Objects.equals(this.refusal, that.refusal)
				&& Objects.equals(this.audio, that.audio) && Objects.equals(this.toolCalls, that.toolCalls)
				&& Objects.equals(this.functionCall, that.functionCall)
				&& Objects.equals(this.toolCallId, that.toolCallId);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.role, this.text, this.parts, this.name, this.refusal, this.audio, this.toolCalls,
				this.functionCall, this.toolCallId);
	}

	@Override
	public String toString() {
		return "ChatMessage[role=" + this.role.wireName() + ", content=" + content() + "]";
	}

	/**
	 * Builder of {@link ChatMessage}.
	 */
	public static final class Builder {

		private final Role role;

		private @Nullable String text;

		private @Nullable List<ContentPart> parts;

		private @Nullable String name;

		private @Nullable String refusal;

		private @Nullable Map<String, Object> audio;

		private @Nullable List<ToolCall> toolCalls;

		private ToolCall.@Nullable FunctionCall functionCall;

		private @Nullable String toolCallId;

		private Builder(Role role) {
			this.role = role;
		}

		/**
		 * Set text content, replacing any parts.
		 * @param text the text
		 * @return this builder
		 */
		public Builder content(@Nullable String text) {
			this.text = text;
			this.parts = null;
			return this;
		}

		/**
		 * Set content parts, replacing any text.
		 * @param parts the parts
		 * @return this builder
		 */
		public Builder content(@Nullable List<ContentPart> parts) {
			this.parts = parts;
			this.text = null;
			return this;
		}

		public Builder name(@Nullable String name) {
			this.name = name;
			return this;
		}

		public Builder refusal(@Nullable String refusal) {
			this.refusal = refusal;
			return this;
		}

		public Builder audio(@Nullable Map<String, Object> audio) {
			this.audio = audio;
			return this;
		}

		public Builder toolCalls(@Nullable List<ToolCall> toolCalls) {
			this.toolCalls = toolCalls;
			return this;
		}

		public Builder functionCall(ToolCall.@Nullable FunctionCall functionCall) {
			this.functionCall = functionCall;
			return this;
		}

		public Builder toolCallId(@Nullable String toolCallId) {
			this.toolCallId = toolCallId;
			return this;
		}

		public ChatMessage build() {
			return new ChatMessage(this);
		}

	}

}
