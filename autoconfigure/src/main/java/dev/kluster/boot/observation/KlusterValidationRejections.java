package dev.kluster.boot.observation;

import java.util.LinkedHashSet;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.kluster.boot.validation.KlusterValidationException;
import dev.kluster.boot.validation.Violation;

/**
 * Counts requests that validation refused before they were sent
 * ({@link KlusterMeterDocumentation#VALIDATION_REJECTIONS}), once per refused parameter.
 * Such a request never reached kluster.ai, so it is no operation of the API: it is
 * counted here rather than observed, and does not show in
 * {@code gen_ai.client.operation.duration}.
 *
 * @since 0.1.0
 */
public final class KlusterValidationRejections {

	private static final String PARAMETER = KlusterMeterDocumentation.ValidationKeyNames.PARAMETER.asString();

	private final MeterRegistry meterRegistry;

	private final ValidationParameterTags parameterTags;

	/**
	 * Create a counter of rejections.
	 * @param meterRegistry where to count
	 * @param parameterTags the bounded tag values of refused parameters
	 */
	public KlusterValidationRejections(MeterRegistry meterRegistry, ValidationParameterTags parameterTags) {
		this.meterRegistry = meterRegistry;
		this.parameterTags = parameterTags;
	}

	/**
	 * Count a refused request once for each parameter it was refused for.
	 * @param rejection the validation failure
	 */
	public void record(KlusterValidationException rejection) {
		Set<String> parameters = new LinkedHashSet<>();
		for (Violation violation : rejection.violations()) {
			parameters.add(this.parameterTags.tagFor(violation.path()));
		}
		for (String parameter : parameters) {
			Counter.builder(KlusterMeterDocumentation.VALIDATION_REJECTIONS.getName())
				.description("Requests to kluster.ai refused by validation before they were sent, by parameter")
				.tag(PARAMETER, parameter)
				.register(this.meterRegistry)
				.increment();
		}
	}

}
