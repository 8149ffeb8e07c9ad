package dev.kluster.boot.test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stand-in's chat completions: kluster.ai's checks of a request, then the scripted
 * answer. Shared by {@code POST /chat/completions} and by the lines of batches, so that a
 * batch line is answered exactly as the same request sent on its own would be.
 */
final class StandInChat {

	private final StandInJson json;

	private final Map<String, String> modelAnswers = new ConcurrentHashMap<>();

	private final List<PromptRule> promptRules = new CopyOnWriteArrayList<>();

	private volatile List<String> models = KlusterStandIn.DEFAULT_MODELS;

	private volatile @Nullable String defaultAnswer;

	private volatile boolean acceptAnyModel;

	/** What {@link #reset()} returns to: the defaults, or the application's settings. */
	private volatile StandInUnsupportedFields configuredUnsupported = StandInUnsupportedFields.DEFAULTS;

	private volatile StandInUnsupportedFields unsupported = StandInUnsupportedFields.DEFAULTS;

	StandInChat(StandInJson json) {
		this.json = json;
	}

	List<String> models() {
		return this.models;
	}

	void models(List<String> ids) {
		this.models = List.copyOf(ids);
	}

	void acceptAnyModel() {
		this.acceptAnyModel = true;
	}

	synchronized void accept(List<String> names) {
		this.unsupported = this.unsupported.accepting(names);
	}

	/** The fields refused now, embedding request fields included. */
	StandInUnsupportedFields unsupportedFields() {
		return this.unsupported;
	}

	static String unsupportedMessage(String field) {
		return unsupported(field);
	}

	synchronized void configureUnsupported(StandInUnsupportedFields fields) {
		this.configuredUnsupported = fields;
		this.unsupported = fields;
	}

	void answer(String text) {
		this.defaultAnswer = text;
	}

	void answerFor(String model, String text) {
		this.modelAnswers.put(model, text);
	}

	void answerWhenPromptContains(String fragment, String text) {
		this.promptRules.add(new PromptRule(fragment, text));
	}

	void reset() {
		this.modelAnswers.clear();
		this.promptRules.clear();
		this.models = KlusterStandIn.DEFAULT_MODELS;
		this.defaultAnswer = null;
		this.acceptAnyModel = false;
		this.unsupported = this.configuredUnsupported;
	}

	/**
	 * Check a request as kluster.ai would and choose its answer.
	 * @param root the request body, of any JSON type
	 * @return the answer, or why the request is refused
	 */
	Outcome evaluate(JsonNode root) {
		if (!root.isObject()) {
			return invalidRequest("The request body must be a JSON object.", null);
		}
		Refused invalid = validate(root);
		if (invalid != null) {
			return invalid;
		}
		String model = root.get("model").asString();
		if (!this.acceptAnyModel && !this.models.contains(model)) {
			return new Refused(404, this.json.error("The model `" + model + "` does not exist or you do not have "
					+ "access to it.", "invalid_request_error", "model", "model_not_found"));
		}
		JsonNode messages = root.get("messages");
		String text = chooseAnswer(model, lastUserMessage(messages));
		return new Answered(model, text, countWords(messages), words(text).size());
	}

	Refused invalidRequest(String message, @Nullable String param) {
		return new Refused(400, this.json.error(message, "invalid_request_error", param, null));
	}

	private @Nullable Refused validate(JsonNode root) {
		StandInUnsupportedFields unsupported = this.unsupported;
		for (String field : root.propertyNames()) {
			if (unsupported.request().contains(field)) {
				return invalidRequest(unsupported(field), field);
			}
		}
		JsonNode model = root.get("model");
		if (model == null || model.isNull()) {
			return invalidRequest("Missing required parameter: 'model'.", "model");
		}
		if (!model.isString()) {
			return invalidRequest("Invalid type for 'model': expected a string.", "model");
		}
		JsonNode messages = root.get("messages");
		if (messages == null || messages.isNull()) {
			return invalidRequest("Missing required parameter: 'messages'.", "messages");
		}
		if (!messages.isArray() || messages.isEmpty()) {
			return invalidRequest("'messages' must be a non-empty array.", "messages");
		}
		for (int i = 0; i < messages.size(); i++) {
			JsonNode message = messages.get(i);
			if (!message.isObject()) {
				return invalidRequest("Each message must be a JSON object.", "messages[" + i + "]");
			}
			for (String field : message.propertyNames()) {
				if (unsupported.message().contains(field)) {
					return invalidRequest(unsupported(field), "messages[" + i + "]." + field);
				}
			}
		}
		return null;
	}

	private static String unsupported(String field) {
		return "Unsupported parameter: '" + field + "' is not supported by kluster.ai (kluster.ai stand-in).";
	}

	private String chooseAnswer(String model, String prompt) {
		for (PromptRule rule : this.promptRules) {
			if (prompt.contains(rule.fragment())) {
				return rule.answer();
			}
		}
		String forModel = this.modelAnswers.get(model);
		if (forModel != null) {
			return forModel;
		}
		String answer = this.defaultAnswer;
		return (answer != null) ? answer : "You said: " + prompt;
	}

	/**
	 * The text of the last user message of a request's messages, or an empty string.
	 */
	static String lastUserMessage(JsonNode messages) {
		for (int i = messages.size() - 1; i >= 0; i--) {
			JsonNode message = messages.get(i);
			if ("user".equals(message.path("role").asString(""))) {
				return contentText(message.get("content"));
			}
		}
		return "";
	}

	private static int countWords(JsonNode messages) {
		int count = 0;
		for (JsonNode message : messages) {
			count += words(contentText(message.get("content"))).size();
		}
		return count;
	}

	/**
	 * The text of a message's content: the string itself, or the text parts of an array
	 * of content parts (image parts have no words).
	 */
	private static String contentText(@Nullable JsonNode content) {
		if (content == null || content.isNull()) {
			return "";
		}
		if (content.isArray()) {
			List<String> texts = new ArrayList<>();
			for (JsonNode part : content) {
				if (part.path("text").isString()) {
					texts.add(part.path("text").asString());
				}
			}
			return String.join(" ", texts);
		}
		return content.isString() ? content.asString() : content.toString();
	}

	private static List<String> words(String text) {
		String stripped = text.strip();
		return stripped.isEmpty() ? Collections.emptyList() : List.of(stripped.split("\\s+"));
	}

	/**
	 * What a chat completion request gets.
	 */
	sealed interface Outcome permits Answered, Refused {

	}

	/**
	 * An answer. Usage counts words, not tokens.
	 */
	record Answered(String model, String text, int promptWords, int completionWords) implements Outcome {

	}

	/**
	 * A refusal with its HTTP status and OpenAI-style error body.
	 */
	record Refused(int status, ObjectNode body) implements Outcome, StandInEmbeddings.Outcome {

	}

	private record PromptRule(String fragment, String answer) {

	}

}
