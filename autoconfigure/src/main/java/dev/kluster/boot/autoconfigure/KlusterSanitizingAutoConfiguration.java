package dev.kluster.boot.autoconfigure;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * {@link AutoConfiguration Auto-configuration} that masks the kluster.ai API key in the
 * actuator's {@code /env} and {@code /configprops} output, also when an application shows
 * values with {@code management.endpoint.env.show-values=always}. Sanitizing functions
 * apply whatever {@code show-values} says, so this one keeps the key hidden while other
 * values stay visible. Active whether or not the client itself is enabled: the key is in
 * the environment either way. An application replaces it with a bean of its own named
 * {@code klusterApiKeySanitizingFunction}.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class KlusterSanitizingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "klusterApiKeySanitizingFunction")
	SanitizingFunction klusterApiKeySanitizingFunction(Environment environment) {
		String apiKey = environment.getProperty("kluster.api-key");
		return new KlusterApiKeySanitizingFunction(StringUtils.hasText(apiKey) ? apiKey.strip() : null);
	}

	/**
	 * Masks {@code kluster.api-key} under each of its spellings ({@code kluster.apiKey},
	 * {@code KLUSTER_API_KEY}, ...) and any other property whose value contains the key:
	 * {@code OPENAI_API_KEY=${KLUSTER_API_KEY}}, but also {@code sun.java.command} when the
	 * key was given on the command line ({@code --kluster.api-key=...}),
	 * {@code JAVA_TOOL_OPTIONS} with {@code -Dkluster.api-key=...}, or a URL with the key in
	 * it.
	 */
	static final class KlusterApiKeySanitizingFunction implements SanitizingFunction {

		private final @Nullable String apiKey;

		KlusterApiKeySanitizingFunction(@Nullable String apiKey) {
			this.apiKey = apiKey;
		}

		@Override
		public SanitizableData apply(SanitizableData data) {
			if (isApiKeyName(data.getKey()) || containsApiKey(data.getValue())) {
				return data.withSanitizedValue();
			}
			return data;
		}

		private static boolean isApiKeyName(String key) {
			String normalized = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
			return normalized.equals("klusterapikey");
		}

		private boolean containsApiKey(@Nullable Object value) {
			return this.apiKey != null && value != null && value.toString().contains(this.apiKey);
		}

	}

}
