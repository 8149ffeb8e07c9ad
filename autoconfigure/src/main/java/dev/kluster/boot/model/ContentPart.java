package dev.kluster.boot.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One part of a multi-part message content: text, or an image for vision models such as
 * {@code Qwen/Qwen2.5-VL-7B-Instruct}.
 *
 * @param type {@code text} or {@code image_url}
 * @param text the text of a {@code text} part
 * @param imageUrl the image of an {@code image_url} part
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContentPart(@JsonProperty("type") String type, @JsonProperty("text") @Nullable String text,
		@JsonProperty("image_url") @Nullable ImageUrl imageUrl) {

	/**
	 * A text part.
	 * @param text the text
	 * @return the part
	 */
	public static ContentPart text(String text) {
		return new ContentPart("text", text, null);
	}

	/**
	 * An image part, by URL or {@code data:} URI.
	 * @param url the image URL or base64 data URI
	 * @return the part
	 */
	public static ContentPart imageUrl(String url) {
		return new ContentPart("image_url", null, new ImageUrl(url, null));
	}

	/**
	 * Image reference of an {@code image_url} part.
	 *
	 * @param url the image URL or base64 data URI
	 * @param detail {@code auto}, {@code low} or {@code high}
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record ImageUrl(@JsonProperty("url") String url, @JsonProperty("detail") @Nullable String detail) {
	}

}
