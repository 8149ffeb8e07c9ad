package dev.kluster.boot.autoconfigure;

import dev.kluster.boot.error.KlusterException;

/**
 * The kluster.ai client is enabled but no API key is configured. Reported at start-up by
 * {@link KlusterApiKeyMissingFailureAnalyzer}.
 *
 * @since 0.1.0
 */
public class KlusterApiKeyMissingException extends KlusterException {

	/**
	 * Create the exception.
	 */
	public KlusterApiKeyMissingException() {
		super("No kluster.ai API key is configured (kluster.api-key)");
	}

}
