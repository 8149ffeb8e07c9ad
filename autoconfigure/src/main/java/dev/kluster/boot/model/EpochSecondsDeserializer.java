package dev.kluster.boot.model;

import java.time.Instant;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads a Unix timestamp in seconds that kluster.ai sends either as a JSON number or as a
 * string of digits ({@code "1733832777"}), independently of the coercion settings of the
 * application's {@code JsonMapper}.
 *
 * @since 0.1.0
 */
public final class EpochSecondsDeserializer extends ValueDeserializer<Instant> {

	@Override
	public Instant deserialize(JsonParser parser, DeserializationContext context) {
		JsonToken token = parser.currentToken();
		if (token == JsonToken.VALUE_NUMBER_INT) {
			return Instant.ofEpochSecond(parser.getLongValue());
		}
		if (token == JsonToken.VALUE_NUMBER_FLOAT) {
			return Instant.ofEpochSecond((long) parser.getDoubleValue());
		}
		if (token == JsonToken.VALUE_STRING) {
			String text = parser.getString().trim();
			try {
				return Instant.ofEpochSecond(Long.parseLong(text));
			}
			catch (NumberFormatException ex) {
				return (Instant) context.handleWeirdStringValue(Instant.class, text,
						"expected a Unix timestamp in seconds");
			}
		}
		return (Instant) context.handleUnexpectedToken(Instant.class, parser);
	}

}
