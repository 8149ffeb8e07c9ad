package dev.kluster.boot.model;

import java.time.Instant;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;

/**
 * Writes an {@link Instant} as Unix seconds, the form OpenAI-compatible APIs use.
 *
 * @since 0.1.0
 */
public final class EpochSecondsSerializer extends ValueSerializer<Instant> {

	@Override
	public void serialize(Instant value, JsonGenerator generator, SerializationContext context) {
		generator.writeNumber(value.getEpochSecond());
	}

}
