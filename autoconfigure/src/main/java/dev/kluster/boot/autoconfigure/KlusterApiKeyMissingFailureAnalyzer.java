package dev.kluster.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains at start-up how to give the kluster.ai client its API key.
 */
class KlusterApiKeyMissingFailureAnalyzer extends AbstractFailureAnalyzer<KlusterApiKeyMissingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, KlusterApiKeyMissingException cause) {
		return new FailureAnalysis("The kluster.ai client needs an API key, and none is configured.",
				"Set the environment variable KLUSTER_API_KEY (recommended: the key stays out of your files), "
						+ "or the property kluster.api-key in application.yml or application.properties. "
						+ "Create a key at https://platform.kluster.ai/apikeys. "
						+ "To start without the kluster.ai client, set kluster.enabled=false.",
				cause);
	}

}
