package dev.kluster.boot.ai;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionChunk;
import dev.kluster.boot.model.ToolCall;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.metadata.EmptyUsage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

/**
 * kluster.ai's completions and stream chunks as Spring AI {@link ChatResponse}s: one
 * {@link Generation} per choice with its finish reason as kluster.ai sends it
 * ({@code stop}, {@code length}, ...), and the id, model and token usage in the
 * {@link ChatResponseMetadata}.
 */
final class ResponseMapper {

	private ResponseMapper() {
	}

	static ChatResponse toResponse(ChatCompletion completion) {
		List<Generation> generations = completion.choices()
			.stream()
			.map((choice) -> generation(completion.id(), choice.index(), choice.message(), choice.finishReason()))
			.toList();
		return new ChatResponse(generations, metadata(completion.id(), completion.model(), completion.usage()));
	}

	// The usage-only last chunk has no choice: its response has no generation, as those
	// of Spring AI's own models.
	static ChatResponse toResponse(ChatCompletionChunk chunk) {
		List<Generation> generations = chunk.choices()
			.stream()
			.map((choice) -> generation(chunk.id(), choice.index(), choice.delta(), choice.finishReason()))
			.toList();
		return new ChatResponse(generations, metadata(chunk.id(), chunk.model(), chunk.usage()));
	}

	private static Generation generation(@Nullable String id, int index,
			dev.kluster.boot.model.@Nullable AssistantMessage message, @Nullable String finishReason) {
		Map<String, Object> properties = new LinkedHashMap<>();
		putIfNotNull(properties, "id", id);
		properties.put("index", index);
		putIfNotNull(properties, "finishReason", finishReason);
		List<AssistantMessage.ToolCall> toolCalls = List.of();
		String text = "";
		if (message != null) {
			text = (message.content() != null) ? message.content() : "";
			putIfNotNull(properties, "role", (message.role() != null) ? message.role().wireName() : null);
			putIfNotNull(properties, "reasoningContent", message.reasoningContent());
			putIfNotNull(properties, "refusal", message.refusal());
			toolCalls = toolCalls(message.toolCalls());
		}
		AssistantMessage output = AssistantMessage.builder()
			.content(text)
			.properties(properties)
			.toolCalls(toolCalls)
			.build();
		return new Generation(output, ChatGenerationMetadata.builder().finishReason(finishReason).build());
	}

	private static List<AssistantMessage.ToolCall> toolCalls(@Nullable List<ToolCall> calls) {
		if (calls == null) {
			return List.of();
		}
		return calls.stream()
			.filter((call) -> call.function() != null)
			.map((call) -> new AssistantMessage.ToolCall(nonNull(call.id()),
					(call.type() != null) ? call.type() : "function", nonNull(call.function().name()),
					nonNull(call.function().arguments())))
			.toList();
	}

	private static ChatResponseMetadata metadata(@Nullable String id, @Nullable String model,
			dev.kluster.boot.model.@Nullable Usage usage) {
		ChatResponseMetadata.Builder metadata = ChatResponseMetadata.builder().usage(usage(usage));
		if (id != null) {
			metadata.id(id);
		}
		if (model != null) {
			metadata.model(model);
		}
		return metadata.build();
	}

	private static Usage usage(dev.kluster.boot.model.@Nullable Usage usage) {
		if (usage == null) {
			return new EmptyUsage();
		}
		return new DefaultUsage(usage.promptTokens(), usage.completionTokens(), usage.totalTokens(), usage);
	}

	private static void putIfNotNull(Map<String, Object> properties, String key, @Nullable Object value) {
		if (value != null) {
			properties.put(key, value);
		}
	}

	private static String nonNull(@Nullable String value) {
		return (value != null) ? value : "";
	}

}
