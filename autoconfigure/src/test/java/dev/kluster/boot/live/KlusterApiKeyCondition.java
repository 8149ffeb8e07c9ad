package dev.kluster.boot.live;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the live suite only when {@code KLUSTER_API_KEY} is set. JUnit's
 * {@code @EnabledIfEnvironmentVariable} decides the same, but failsafe keeps its reason in
 * the XML report only: this condition also prints the reason once, so that
 * {@code ./mvnw -Plive verify} without a key says on the console why nothing ran.
 */
class KlusterApiKeyCondition implements ExecutionCondition {

	static final String SKIPPED = "Live suite skipped: KLUSTER_API_KEY is not set. It calls kluster.ai itself and "
			+ "runs only with a key: KLUSTER_API_KEY=... ./mvnw -Plive verify (see docs/validation.md)";

	private static final AtomicBoolean told = new AtomicBoolean();

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		String key = System.getenv("KLUSTER_API_KEY");
		if (key != null && !key.isBlank()) {
			return ConditionEvaluationResult.enabled("KLUSTER_API_KEY is set");
		}
		if (told.compareAndSet(false, true)) {
			System.out.println(SKIPPED);
		}
		return ConditionEvaluationResult.disabled(SKIPPED);
	}

}
