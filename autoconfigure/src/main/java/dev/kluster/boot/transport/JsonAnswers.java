package dev.kluster.boot.transport;

import java.io.IOException;
import java.io.InputStream;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import reactor.core.publisher.Mono;
import dev.kluster.boot.error.KlusterInvalidResponseException;
import dev.kluster.boot.error.KlusterRedaction;
import dev.kluster.boot.error.KlusterResponseTooLargeException;

/**
 * Reads a JSON answer of kluster.ai from the buffers of its body, for every client of the
 * starter. Not through {@code WebClient}'s codecs, for two reasons: they log what they
 * decoded (at {@code DEBUG}, whole at {@code TRACE}), which is whatever the server sent,
 * an echoed key included, before anything could redact it; and they read an empty body
 * or the JSON {@code null} as no value, which would complete a call empty instead of
 * failing it.
 *
 * @since 0.1.0
 */
public final class JsonAnswers {

	private JsonAnswers() {
	}

	/**
	 * Read an answer whose status says it is one.
	 * @param <T> the type of the answer
	 * @param response the answer
	 * @param reader reader bound to the type of the answer
	 * @param maxSize most bytes of the answer held in memory
	 * @param redaction what is removed from the parser's message, which may quote the body
	 * @param expected what the answer should be, for messages, such as "a chat.completion"
	 * @return the answer; a {@link KlusterInvalidResponseException} if the body is empty, the
	 * JSON {@code null} or not the expected JSON, a {@link KlusterResponseTooLargeException}
	 * (through {@link KlusterFailures#translate}) if it is larger than {@code maxSize}
	 */
	public static <T> Mono<T> read(ClientResponse response, ObjectReader reader, int maxSize,
			KlusterRedaction redaction, String expected) {
		return DataBufferUtils.join(response.body(BodyExtractors.toDataBuffers()), maxSize)
			.<T>handle((buffer, sink) -> {
				T answer;
				try (InputStream in = buffer.asInputStream(true)) {
					answer = reader.readValue(in);
				}
				catch (JacksonException | IOException ex) {
					sink.error(new KlusterInvalidResponseException("Could not read kluster.ai's answer as " + expected
							+ ": " + redaction.redact(ex.getMessage()), redaction.redact(ex)));
					return;
				}
				if (answer == null) {
					sink.error(new KlusterInvalidResponseException(
							"kluster.ai's answer is the JSON null instead of " + expected, null));
					return;
				}
				sink.next(answer);
			})
			.switchIfEmpty(Mono.error(() -> new KlusterInvalidResponseException(
					"kluster.ai's answer has an empty body instead of " + expected, null)));
	}

}
