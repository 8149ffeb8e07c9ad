package dev.kluster.boot.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How kluster.ai sends embedding vectors ({@code encoding_format}). Either way the client
 * hands out {@code float} vectors: {@link #BASE64} only makes the answer smaller on the
 * wire, about a third of the size of the JSON numbers.
 *
 * @since 0.1.0
 */
public enum EncodingFormat {

	/** A JSON array of numbers, the server's default. */
	@JsonProperty("float")
	FLOAT,

	/** The little-endian 32-bit floats of the vector, Base64-encoded in a JSON string. */
	@JsonProperty("base64")
	BASE64

}
