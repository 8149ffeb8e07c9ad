package dev.kluster.boot.observation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

/**
 * Records the counters of batch client calls: requests uploaded and results read. They
 * are recorded once, when the call's observation stops, rather than per request or
 * result, so that a batch of 100,000 lines costs three counter updates.
 * <p>
 * A plain {@link ObservationHandler}, so that it runs beside Micrometer's
 * {@code DefaultMeterObservationHandler}, which records the call timer. (Chat calls have
 * a meter handler of their own, {@link KlusterChatMeterObservationHandler}, which records
 * their timers too.)
 *
 * @since 0.1.0
 * @see KlusterBatchMeterDocumentation
 */
public class KlusterBatchMeterObservationHandler implements ObservationHandler<KlusterBatchObservationContext> {

	private static final String OUTCOME = KlusterBatchMeterDocumentation.ResultKeyNames.OUTCOME.asString();

	private static final Tags PROVIDER = Tags.of(
			KlusterObservationDocumentation.LowCardinalityKeyNames.PROVIDER_NAME.asString(),
			KlusterObservationContext.PROVIDER);

	private final MeterRegistry meterRegistry;

	/**
	 * Create a handler.
	 * @param meterRegistry where to record
	 */
	public KlusterBatchMeterObservationHandler(MeterRegistry meterRegistry) {
		this.meterRegistry = meterRegistry;
	}

	// Counters are registered on first use, as the chat meters are, so that an
	// application that runs no batch shows no batch meters.
	@Override
	public void onStop(KlusterBatchObservationContext context) {
		if (context.isUploaded() && context.getRequestCount() > 0) {
			Counter.builder(KlusterBatchMeterDocumentation.REQUESTS_UPLOADED.getName())
				.description("Requests in batch input files that kluster.ai accepted")
				.tags(PROVIDER)
				.register(this.meterRegistry)
				.increment(context.getRequestCount());
		}
		recordResults("success", context.getSuccessfulResults());
		recordResults("failure", context.getFailedResults());
	}

	private void recordResults(String outcome, long count) {
		if (count > 0) {
			Counter.builder(KlusterBatchMeterDocumentation.RESULTS_READ.getName())
				.description("Results read from kluster.ai batch result files")
				.tags(PROVIDER)
				.tag(OUTCOME, outcome)
				.register(this.meterRegistry)
				.increment(count);
		}
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof KlusterBatchObservationContext;
	}

}
