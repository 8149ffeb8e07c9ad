package dev.kluster.boot.observation;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.kluster.boot.model.AssistantMessage;
import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.ContentPart;
import dev.kluster.boot.model.Role;
import dev.kluster.boot.model.ToolCall;

/**
 * Writes prompts and completions in the JSON shapes of the OpenTelemetry GenAI
 * conventions ({@code gen-ai-input-messages.json}, {@code gen-ai-output-messages.json}):
 * {@code [{"role": ..., "parts": [{"type": "text", "content": ...}]}]}. Written by hand so
 * that the observation package needs no JSON mapper; only runs when content recording is
 * on.
 */
final class GenAiMessages {

	private GenAiMessages() {
	}

	static String input(List<ChatMessage> messages) {
		StringBuilder json = new StringBuilder(64).append('[');
		for (int i = 0; i < messages.size(); i++) {
			if (i > 0) {
				json.append(',');
			}
			ChatMessage message = messages.get(i);
			json.append("{\"role\":");
			string(json, message.role().wireName());
			if (message.name() != null) {
				json.append(",\"name\":");
				string(json, message.name());
			}
			json.append(",\"parts\":[");
			Parts parts = new Parts(json);
			if (message.role() == Role.TOOL) {
				parts.next().append("{\"type\":\"tool_call_response\",\"id\":");
				nullableString(json, message.toolCallId());
				json.append(",\"response\":");
				nullableString(json, message.text());
				json.append('}');
			}
			else {
				if (message.text() != null) {
					textPart(parts.next(), "text", message.text());
				}
				List<ContentPart> contentParts = message.parts();
				if (contentParts != null) {
					for (ContentPart part : contentParts) {
						contentPart(parts.next(), part);
					}
				}
			}
			toolCalls(parts, message.toolCalls());
			json.append("]}");
		}
		return json.append(']').toString();
	}

	static @Nullable String output(KlusterChatObservationContext context) {
		ChatCompletion response = context.getResponse();
		if (response != null) {
			return completionOutput(response, context);
		}
		int choices = context.getStreamedChoiceCount();
		if (choices == 0) {
			return null;
		}
		StringBuilder json = new StringBuilder(64).append('[');
		for (int i = 0; i < choices; i++) {
			if (i > 0) {
				json.append(',');
			}
			json.append("{\"role\":\"assistant\",\"parts\":[");
			String text = context.getStreamedText(i);
			if (text != null) {
				textPart(json, "text", text);
			}
			json.append("],\"finish_reason\":");
			string(json, finishReason(context.getStreamedFinishReason(i), context));
			json.append('}');
		}
		return json.append(']').toString();
	}

	private static String completionOutput(ChatCompletion response, KlusterChatObservationContext context) {
		StringBuilder json = new StringBuilder(64).append('[');
		List<ChatCompletion.Choice> choices = response.choices();
		for (int i = 0; i < choices.size(); i++) {
			if (i > 0) {
				json.append(',');
			}
			ChatCompletion.Choice choice = choices.get(i);
			json.append("{\"role\":\"assistant\",\"parts\":[");
			AssistantMessage message = choice.message();
			if (message != null) {
				Parts parts = new Parts(json);
				if (message.reasoningContent() != null) {
					textPart(parts.next(), "reasoning", message.reasoningContent());
				}
				if (message.content() != null) {
					textPart(parts.next(), "text", message.content());
				}
				toolCalls(parts, message.toolCalls());
			}
			json.append("],\"finish_reason\":");
			string(json, finishReason(choice.finishReason(), context));
			json.append('}');
		}
		return json.append(']').toString();
	}

	// The schema requires a finish reason; without one from kluster.ai, say why the
	// answer ended rather than invent a normal end.
	private static String finishReason(@Nullable String reason, KlusterChatObservationContext context) {
		if (reason != null) {
			return reason;
		}
		if (context.getError() != null) {
			return "error";
		}
		return context.isCancelled() ? "cancelled" : "";
	}

	private static void contentPart(StringBuilder json, ContentPart part) {
		if ("text".equals(part.type()) && part.text() != null) {
			textPart(json, "text", part.text());
		}
		else if (part.imageUrl() != null) {
			json.append("{\"type\":\"uri\",\"modality\":\"image\",\"uri\":");
			string(json, part.imageUrl().url());
			json.append('}');
		}
		else {
			json.append("{\"type\":");
			string(json, part.type());
			json.append('}');
		}
	}

	private static void toolCalls(Parts parts, @Nullable List<ToolCall> toolCalls) {
		if (toolCalls == null) {
			return;
		}
		for (ToolCall call : toolCalls) {
			StringBuilder json = parts.next().append("{\"type\":\"tool_call\",\"id\":");
			nullableString(json, call.id());
			json.append(",\"name\":");
			nullableString(json, (call.function() != null) ? call.function().name() : null);
			json.append(",\"arguments\":");
			nullableString(json, (call.function() != null) ? call.function().arguments() : null);
			json.append('}');
		}
	}

	private static void textPart(StringBuilder json, String type, String content) {
		json.append("{\"type\":\"").append(type).append("\",\"content\":");
		string(json, content);
		json.append('}');
	}

	private static void nullableString(StringBuilder json, @Nullable String value) {
		if (value == null) {
			json.append("null");
		}
		else {
			string(json, value);
		}
	}

	static void string(StringBuilder json, String value) {
		json.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				case '\n' -> json.append("\\n");
				case '\r' -> json.append("\\r");
				case '\t' -> json.append("\\t");
				default -> {
					if (c < 0x20) {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		json.append('"');
	}

	/** Separates the parts of one message with commas. */
	private static final class Parts {

		private final StringBuilder json;

		private boolean first = true;

		Parts(StringBuilder json) {
			this.json = json;
		}

		StringBuilder next() {
			if (!this.first) {
				this.json.append(',');
			}
			this.first = false;
			return this.json;
		}

	}

}
