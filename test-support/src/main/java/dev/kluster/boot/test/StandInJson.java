package dev.kluster.boot.test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the JSON the stand-in answers with. The stand-in builds its answers as trees
 * rather than with the starter's model types so that it depends on nothing but Jackson:
 * the starter's own tests can then run against it.
 */
final class StandInJson {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private volatile boolean timestampsAsStrings;

	JsonMapper mapper() {
		return this.mapper;
	}

	void timestampsAsStrings(boolean asStrings) {
		this.timestampsAsStrings = asStrings;
	}

	ObjectNode object() {
		return this.mapper.createObjectNode();
	}

	ArrayNode array() {
		return this.mapper.createArrayNode();
	}

	String write(JsonNode node) {
		return this.mapper.writeValueAsString(node);
	}

	/**
	 * Put Unix seconds, as a number or, like kluster.ai sometimes does, as a string of
	 * digits.
	 */
	void timestamp(ObjectNode node, String field, @Nullable Instant instant) {
		if (instant == null) {
			node.putNull(field);
		}
		else if (this.timestampsAsStrings) {
			node.put(field, Long.toString(instant.getEpochSecond()));
		}
		else {
			node.put(field, instant.getEpochSecond());
		}
	}

	ObjectNode error(String message, String type, @Nullable String param, @Nullable String code) {
		ObjectNode root = object();
		ObjectNode error = root.putObject("error");
		error.put("message", message);
		error.put("type", type);
		error.put("param", param);
		error.put("code", code);
		return root;
	}

	ObjectNode model(String id, Instant created, String owner) {
		ObjectNode model = object();
		model.put("id", id);
		model.put("object", "model");
		timestamp(model, "created", created);
		model.put("owned_by", owner);
		return model;
	}

	ObjectNode completion(String id, Instant created, StandInChat.Answered answer) {
		ObjectNode completion = head(id, "chat.completion", created, answer.model());
		ObjectNode choice = completion.putArray("choices").addObject();
		choice.put("index", 0);
		ObjectNode message = choice.putObject("message");
		message.put("role", "assistant");
		message.put("content", answer.text());
		choice.put("finish_reason", "stop");
		completion.set("usage", usage(answer));
		return completion;
	}

	/**
	 * The chunks of a streamed answer: the role, one chunk per word, the finish reason
	 * and the usage, as JSON texts without {@code [DONE]}.
	 */
	List<String> chunks(String id, Instant created, StandInChat.Answered answer) {
		List<String> chunks = new ArrayList<>();
		chunks.add(write(chunk(id, created, answer.model(), object().put("role", "assistant").put("content", ""),
				null)));
		for (String piece : pieces(answer.text())) {
			chunks.add(write(chunk(id, created, answer.model(), object().put("content", piece), null)));
		}
		chunks.add(write(chunk(id, created, answer.model(), object(), "stop")));
		ObjectNode last = head(id, "chat.completion.chunk", created, answer.model());
		last.putArray("choices");
		last.set("usage", usage(answer));
		chunks.add(write(last));
		return chunks;
	}

	private ObjectNode chunk(String id, Instant created, String model, ObjectNode delta,
			@Nullable String finishReason) {
		ObjectNode chunk = head(id, "chat.completion.chunk", created, model);
		ObjectNode choice = chunk.putArray("choices").addObject();
		choice.put("index", 0);
		choice.set("delta", delta);
		if (finishReason != null) {
			choice.put("finish_reason", finishReason);
		}
		return chunk;
	}

	private ObjectNode head(String id, String object, Instant created, String model) {
		ObjectNode head = object();
		head.put("id", id);
		head.put("object", object);
		timestamp(head, "created", created);
		head.put("model", model);
		return head;
	}

	private ObjectNode usage(StandInChat.Answered answer) {
		ObjectNode usage = object();
		usage.put("prompt_tokens", answer.promptWords());
		usage.put("completion_tokens", answer.completionWords());
		usage.put("total_tokens", answer.promptWords() + answer.completionWords());
		return usage;
	}

	/**
	 * Split text into words that keep the whitespace before them, so that the pieces add
	 * up to the text exactly.
	 */
	private static List<String> pieces(String text) {
		List<String> pieces = new ArrayList<>();
		int start = 0;
		int i = 0;
		while (i < text.length()) {
			while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
				i++;
			}
			while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
				i++;
			}
			pieces.add(text.substring(start, i));
			start = i;
		}
		return pieces;
	}

}
