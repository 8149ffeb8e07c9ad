package dev.kluster.boot.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;


/**
 * How to create a batch: its completion window, metadata and endpoint.
 *
 * @param completionWindow {@code 24h}, {@code 48h} or {@code 72h}, or {@code null} for
 * the client's default
 * @param metadata free-form metadata kept with the batch
 * @param endpoint the endpoint of the batch's requests, {@link BatchRequest#CHAT_COMPLETIONS}
 * or {@link BatchRequest#EMBEDDINGS}, or {@code null} for the {@code url} of the requests
 * uploaded with it (chat completions when the batch is made of a file uploaded before)
 * @since 0.1.0
 */
public record BatchOptions(@Nullable String completionWindow, Map<String, String> metadata,
		@Nullable String endpoint) {

	/** The client's default completion window, no metadata, the requests' endpoint. */
	public static final BatchOptions DEFAULTS = new BatchOptions(null, Map.of());

	/**
	 * Create options.
	 * @param completionWindow the completion window, or {@code null} for the default
	 * @param metadata free-form metadata
	 * @param endpoint the endpoint of the requests, or {@code null} for theirs
	 */
	public BatchOptions {
		metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata must not be null"));
	}

	/**
	 * Create options for the endpoint of the requests.
	 * @param completionWindow the completion window, or {@code null} for the default
	 * @param metadata free-form metadata
	 */
	public BatchOptions(@Nullable String completionWindow, Map<String, String> metadata) {
		this(completionWindow, metadata, null);
	}

	/**
	 * A copy with another endpoint.
	 * @param endpoint {@link BatchRequest#CHAT_COMPLETIONS} or {@link BatchRequest#EMBEDDINGS}
	 * @return the copy
	 */
	public BatchOptions endpoint(String endpoint) {
		return new BatchOptions(this.completionWindow, this.metadata, endpoint);
	}

	/**
	 * A copy with another completion window.
	 * @param window the completion window
	 * @return the copy
	 */
	public BatchOptions completionWindow(KlusterOptions.CompletionWindow window) {
		return new BatchOptions(window.wireName(), this.metadata, this.endpoint);
	}

	/**
	 * A copy with one more metadata entry.
	 * @param key the key
	 * @param value the value
	 * @return the copy
	 */
	public BatchOptions metadata(String key, String value) {
		Map<String, String> metadata = new LinkedHashMap<>(this.metadata);
		metadata.put(key, value);
		return new BatchOptions(this.completionWindow, metadata, this.endpoint);
	}

}
