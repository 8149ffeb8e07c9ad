package dev.kluster.boot.model;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * kluster.ai's request extension, sent as {@code metadata["@kluster.ai"]}.
 *
 * @param async whether to queue the request as a job instead of answering in real time
 * @param completionWindow time within which a queued request completes: {@code 24h},
 * {@code 48h} or {@code 72h}
 * @param strictCompletionWindow whether the request fails rather than completes late
 * @param callbackUrl URL kluster.ai calls when a queued request completes
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record KlusterOptions(@JsonProperty("async") @Nullable Boolean async,
		@JsonProperty("completion_window") @Nullable String completionWindow,
		@JsonProperty("strict_completion_window") @Nullable Boolean strictCompletionWindow,
		@JsonProperty("callback_url") @Nullable String callbackUrl) {

	/** Key of these options inside {@code metadata}. */
	public static final String METADATA_KEY = "@kluster.ai";

	/**
	 * Start building options.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Completion windows kluster.ai offers.
	 */
	public enum CompletionWindow {

		/** Within 24 hours. */
		HOURS_24,
		/** Within 48 hours. */
		HOURS_48,
		/** Within 72 hours. */
		HOURS_72;

		/**
		 * Name of the window on the wire.
		 * @return {@code 24h}, {@code 48h} or {@code 72h}
		 */
		public String wireName() {
			return name().substring("HOURS_".length()).toLowerCase(Locale.ROOT) + "h";
		}

	}

	/**
	 * Builder of {@link KlusterOptions}.
	 */
	public static final class Builder {

		private @Nullable Boolean async;

		private @Nullable String completionWindow;

		private @Nullable Boolean strictCompletionWindow;

		private @Nullable String callbackUrl;

		private Builder() {
		}

		public Builder async(@Nullable Boolean async) {
			this.async = async;
			return this;
		}

		public Builder completionWindow(@Nullable String completionWindow) {
			this.completionWindow = completionWindow;
			return this;
		}

		public Builder completionWindow(CompletionWindow completionWindow) {
			return completionWindow(completionWindow.wireName());
		}

		public Builder strictCompletionWindow(@Nullable Boolean strictCompletionWindow) {
			this.strictCompletionWindow = strictCompletionWindow;
			return this;
		}

		public Builder callbackUrl(@Nullable String callbackUrl) {
			this.callbackUrl = callbackUrl;
			return this;
		}

		public KlusterOptions build() {
			return new KlusterOptions(this.async, this.completionWindow, this.strictCompletionWindow,
					this.callbackUrl);
		}

	}

}
