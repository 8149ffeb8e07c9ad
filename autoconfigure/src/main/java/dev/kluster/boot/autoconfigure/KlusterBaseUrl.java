package dev.kluster.boot.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Checks {@code kluster.base-url} at start-up, so that a wrong URL fails the application
 * with a clear message instead of failing every call with a 404.
 */
final class KlusterBaseUrl {

	static final String PROPERTY = "kluster.base-url";

	private KlusterBaseUrl() {
	}

	/**
	 * Check the URL and drop a trailing slash.
	 * @param value the configured URL
	 * @return the URL without trailing slash
	 * @throws InvalidConfigurationPropertyValueException if the URL is unusable
	 */
	static String check(String value) {
		String trimmed = value.strip();
		URI uri;
		try {
			uri = new URI(trimmed);
		}
		catch (URISyntaxException ex) {
			throw invalid(value, "it is not a valid URI (" + ex.getReason() + ")");
		}
		if (!uri.isAbsolute() || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
				|| uri.getHost() == null) {
			throw invalid(value, "it must be an absolute http or https URL such as " + KlusterProperties.DEFAULT_BASE_URL);
		}
		if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
			throw invalid(value, "it must not have a query or a fragment");
		}
		String withoutSlash = trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
		// OpenAI-compatible clients append paths such as /chat/completions to the base URL:
		// without /v1 every call would miss the API.
		if (!withoutSlash.endsWith("/v1")) {
			throw invalid(value, "kluster.ai's API lives under the /v1 path; did you mean " + withoutSlash + "/v1 ?");
		}
		return withoutSlash;
	}

	private static InvalidConfigurationPropertyValueException invalid(String value, String reason) {
		return new InvalidConfigurationPropertyValueException(PROPERTY, value, reason);
	}

}
