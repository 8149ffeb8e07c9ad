package dev.kluster.boot.autoconfigure;

import org.springframework.aot.AotDetector;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains at start-up how to give the kluster.ai client its API key.
 */
class KlusterApiKeyMissingFailureAnalyzer extends AbstractFailureAnalyzer<KlusterApiKeyMissingException> {

	private static final String ACTION = "Set the environment variable KLUSTER_API_KEY (recommended: the key stays "
			+ "out of your files), or the property kluster.api-key in application.yml or application.properties. "
			+ "Create a key at https://platform.kluster.ai/apikeys. ";

	private final boolean aheadOfTime;

	KlusterApiKeyMissingFailureAnalyzer() {
		this(AotDetector.useGeneratedArtifacts());
	}

	KlusterApiKeyMissingFailureAnalyzer(boolean aheadOfTime) {
		this.aheadOfTime = aheadOfTime;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, KlusterApiKeyMissingException cause) {
		// Processed ahead of time, the application decided at build time which beans it has,
		// so kluster.enabled set now changes nothing.
		String withoutClient = this.aheadOfTime
				? "To start without the kluster.ai client, set kluster.enabled=false when the application is "
						+ "processed ahead of time (at build time): this one runs with beans decided then."
				: "To start without the kluster.ai client, set kluster.enabled=false.";
		return new FailureAnalysis("The kluster.ai client needs an API key, and none is configured.",
				ACTION + withoutClient, cause);
	}

}
