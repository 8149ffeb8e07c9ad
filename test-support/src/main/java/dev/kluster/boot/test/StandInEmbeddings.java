package dev.kluster.boot.test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stand-in's embeddings ({@code POST /embeddings}): kluster.ai's checks of a request,
 * then vectors made from the inputs alone. Each vector is a function of its input's text
 * (or tokens): {@value #DIMENSIONS} floats (or {@code dimensions} when the request sets
 * it and it is accepted) drawn from SHA-256 hashes of the text, scaled to length 1. The
 * same text always has the same vector, in every run, and different texts differ. With
 * {@code encoding_format=base64} a vector is sent as the Base64 of its little-endian
 * floats, as OpenAI sends it. Usage counts words, as for chat. Any model is accepted:
 * kluster.ai's reference names no embedding model for the model list to hold. Shared by
 * {@code POST /embeddings} and the lines of batches.
 */
final class StandInEmbeddings {

	/** Size of the vectors when the request does not set {@code dimensions}. */
	static final int DIMENSIONS = 8;

	private static final int MAX_DIMENSIONS = 4096;

	private final StandInJson json;

	private final StandInChat chat;

	StandInEmbeddings(StandInJson json, StandInChat chat) {
		this.json = json;
		this.chat = chat;
	}

	/**
	 * Check a request as kluster.ai would and answer it.
	 * @param root the request body, of any JSON type
	 * @return the {@code list} of embeddings, or why the request is refused
	 */
	Outcome evaluate(JsonNode root) {
		if (!root.isObject()) {
			return refused("The request body must be a JSON object.", null);
		}
		for (String field : root.propertyNames()) {
			if (this.chat.unsupportedFields().embedding().contains(field)) {
				return refused(StandInChat.unsupportedMessage(field), field);
			}
		}
		JsonNode model = root.get("model");
		if (model == null || !model.isString() || model.asString().isBlank()) {
			return refused("Missing required parameter: 'model'.", "model");
		}
		List<String> inputs = inputs(root.get("input"));
		if (inputs == null) {
			return refused("'input' must be a non-empty string, or a non-empty array of non-empty strings or of "
					+ "token arrays.", "input");
		}
		int dimensions = DIMENSIONS;
		JsonNode requested = root.get("dimensions");
		if (requested != null && !requested.isNull()) {
			if (!requested.isInt() || requested.asInt() < 1 || requested.asInt() > MAX_DIMENSIONS) {
				return refused("'dimensions' must be an integer from 1 to " + MAX_DIMENSIONS + ".", "dimensions");
			}
			dimensions = requested.asInt();
		}
		String format = root.path("encoding_format").asString("float");
		if (!format.equals("float") && !format.equals("base64")) {
			return refused("'encoding_format' must be float or base64.", "encoding_format");
		}
		ObjectNode list = this.json.object();
		list.put("object", "list");
		ArrayNode data = list.putArray("data");
		int words = 0;
		for (int i = 0; i < inputs.size(); i++) {
			String input = inputs.get(i);
			float[] vector = vector(input, dimensions);
			ObjectNode embedding = data.addObject();
			embedding.put("object", "embedding");
			embedding.put("index", i);
			if (format.equals("base64")) {
				embedding.put("embedding", base64(vector));
			}
			else {
				ArrayNode values = embedding.putArray("embedding");
				for (float value : vector) {
					values.add(value);
				}
			}
			words += input.isBlank() ? 0 : input.strip().split("\\s+").length;
		}
		list.put("model", model.asString());
		ObjectNode usage = list.putObject("usage");
		usage.put("prompt_tokens", words);
		usage.put("total_tokens", words);
		return new Answered(list);
	}

	// The texts to embed, token arrays written as their JSON; null when the input is not
	// one OpenAI accepts.
	private static @Nullable List<String> inputs(@Nullable JsonNode input) {
		if (input == null || input.isNull()) {
			return null;
		}
		if (input.isString()) {
			return input.asString().isEmpty() ? null : List.of(input.asString());
		}
		if (!input.isArray() || input.isEmpty()) {
			return null;
		}
		if (input.get(0).isInt()) {
			return allMatch(input, JsonNode::isInt) ? List.of(input.toString()) : null;
		}
		List<String> inputs = new ArrayList<>();
		for (JsonNode entry : input) {
			if (entry.isString() && !entry.asString().isEmpty()) {
				inputs.add(entry.asString());
			}
			else if (entry.isArray() && !entry.isEmpty() && allMatch(entry, JsonNode::isInt)) {
				inputs.add(entry.toString());
			}
			else {
				return null;
			}
		}
		return inputs;
	}

	private static boolean allMatch(JsonNode array, Predicate<JsonNode> test) {
		for (JsonNode entry : array) {
			if (!test.test(entry)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The stand-in's vector of a text: floats in [-1, 1) from SHA-256 hashes of the text
	 * and a block counter, scaled to length 1.
	 * @param text the text
	 * @param dimensions the size of the vector
	 * @return the vector
	 */
	static float[] vector(String text, int dimensions) {
		float[] vector = new float[dimensions];
		MessageDigest sha256 = sha256();
		byte[] textBytes = text.getBytes(StandardCharsets.UTF_8);
		ByteBuffer hash = ByteBuffer.allocate(0);
		int block = 0;
		double sum = 0;
		for (int i = 0; i < dimensions; i++) {
			if (hash.remaining() < Integer.BYTES) {
				sha256.update(textBytes);
				sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(block++).array());
				hash = ByteBuffer.wrap(sha256.digest());
			}
			vector[i] = hash.getInt() / (float) (1L << 31);
			sum += vector[i] * vector[i];
		}
		float norm = (float) Math.sqrt(sum);
		if (norm > 0) {
			for (int i = 0; i < dimensions; i++) {
				vector[i] /= norm;
			}
		}
		return vector;
	}

	private static String base64(float[] vector) {
		ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		bytes.asFloatBuffer().put(vector);
		return Base64.getEncoder().encodeToString(bytes.array());
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	private StandInChat.Refused refused(String message, @Nullable String param) {
		return this.chat.invalidRequest(message, param);
	}

	/**
	 * What an embedding request gets: the answer or {@link StandInChat.Refused why not}.
	 */
	sealed interface Outcome permits Answered, StandInChat.Refused {

	}

	/**
	 * The {@code list} of embeddings.
	 */
	record Answered(ObjectNode body) implements Outcome {

	}

}
