package dev.kluster.boot.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;


/**
 * How to create a batch: its completion window and metadata.
 *
 * @param completionWindow {@code 24h}, {@code 48h} or {@code 72h}, or {@code null} for
 * the client's default
 * @param metadata free-form metadata kept with the batch
 * @since 0.1.0
 */
public record BatchOptions(@Nullable String completionWindow, Map<String, String> metadata) {

	/** The client's default completion window and no metadata. */
	public static final BatchOptions DEFAULTS = new BatchOptions(null, Map.of());

	/**
	 * Create options.
	 * @param completionWindow the completion window, or {@code null} for the default
	 * @param metadata free-form metadata
	 */
	public BatchOptions {
		metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata must not be null"));
	}

	/**
	 * A copy with another completion window.
	 * @param window the completion window
	 * @return the copy
	 */
	public BatchOptions completionWindow(KlusterOptions.CompletionWindow window) {
		return new BatchOptions(window.wireName(), this.metadata);
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
		return new BatchOptions(this.completionWindow, metadata);
	}

}
