package dev.kluster.boot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * {@link ObservationConvention} of kluster.ai batch client calls. Define a bean of this
 * type to replace the {@link DefaultKlusterBatchObservationConvention}, or extend that
 * class to change single keys.
 *
 * @since 0.1.0
 */
public interface KlusterBatchObservationConvention extends ObservationConvention<KlusterBatchObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof KlusterBatchObservationContext;
	}

}
