package dev.kluster.boot.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads an embedding vector in either of its encodings: a JSON array of numbers
 * ({@code encoding_format=float}) or a string holding the Base64 of its little-endian
 * 32-bit floats ({@code encoding_format=base64}), so that callers get {@code float[]}
 * whichever format they asked for.
 *
 * @since 0.1.0
 */
public final class EmbeddingVectorDeserializer extends ValueDeserializer<float[]> {

	@Override
	public float[] deserialize(JsonParser parser, DeserializationContext context) {
		if (parser.currentToken() == JsonToken.VALUE_STRING) {
			String text = parser.getString();
			byte[] bytes;
			try {
				bytes = Base64.getDecoder().decode(text.strip());
			}
			catch (IllegalArgumentException ex) {
				return (float[]) context.handleWeirdStringValue(float[].class, abbreviate(text),
						"expected the Base64 of an embedding vector");
			}
			if (bytes.length % Float.BYTES != 0) {
				return (float[]) context.handleWeirdStringValue(float[].class, abbreviate(text),
						"expected the Base64 of 4-byte floats, got " + bytes.length + " bytes");
			}
			float[] vector = new float[bytes.length / Float.BYTES];
			ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
			return vector;
		}
		return context.readValue(parser, float[].class);
	}

	private static String abbreviate(String text) {
		return (text.length() <= 40) ? text : text.substring(0, 40) + "...";
	}

	/**
	 * The Base64 form of a vector, as {@code encoding_format=base64} sends it.
	 * @param vector the vector
	 * @return its little-endian 32-bit floats, Base64-encoded
	 */
	public static String base64(float[] vector) {
		ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		bytes.asFloatBuffer().put(vector);
		return Base64.getEncoder().encodeToString(bytes.array());
	}

}
