package dev.kluster.boot.client;

import org.jspecify.annotations.Nullable;

import dev.kluster.boot.model.EmbeddingRequest;
import dev.kluster.boot.model.EncodingFormat;

/**
 * Values that fill whatever an embedding request leaves unset, usually bound from
 * {@code kluster.embedding.*}. A value set on the request always wins. There is no default
 * model: kluster.ai's reference names no embedding model, so the application names the
 * one its account lists ({@code GET /models}).
 *
 * @param model model used when a request names none
 * @param encodingFormat encoding used when a request names none
 * @since 0.1.0
 */
public record EmbeddingDefaults(@Nullable String model, @Nullable EncodingFormat encodingFormat) {

	/** No defaults: requests go out as built. */
	public static final EmbeddingDefaults NONE = new EmbeddingDefaults(null, null);

	/**
	 * Defaults with a model only.
	 * @param model the default model
	 * @return the defaults
	 */
	public static EmbeddingDefaults model(@Nullable String model) {
		return new EmbeddingDefaults(model, null);
	}

	/**
	 * Fill what the request leaves unset.
	 * @param request the request as built by the caller
	 * @return the same instance when there is nothing to fill, otherwise a filled copy
	 */
	public EmbeddingRequest applyTo(EmbeddingRequest request) {
		boolean fillModel = request.model() == null && this.model != null;
		boolean fillEncoding = request.encodingFormat() == null && this.encodingFormat != null;
		if (!fillModel && !fillEncoding) {
			return request;
		}
		EmbeddingRequest.Builder builder = request.toBuilder();
		if (fillModel) {
			builder.model(this.model);
		}
		if (fillEncoding) {
			builder.encodingFormat(this.encodingFormat);
		}
		return builder.build();
	}

}
