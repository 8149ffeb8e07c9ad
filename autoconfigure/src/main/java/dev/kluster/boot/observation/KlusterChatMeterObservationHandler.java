package dev.kluster.boot.observation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

import dev.kluster.boot.model.Usage;
import dev.kluster.boot.validation.KlusterValidationException;
import dev.kluster.boot.validation.Violation;

/**
 * Records the meters of kluster.ai calls that a timer of the observation cannot give:
 * token usage, a stream's time to first chunk and time per output chunk, and validation
 * rejections. Everything is recorded once, when the observation stops; nothing runs per
 * chunk.
 * <p>
 * This is a plain {@link ObservationHandler}, not a {@code MeterObservationHandler}, so
 * that it runs beside Micrometer's {@code DefaultMeterObservationHandler}, which records
 * the operation timer, instead of competing with it for the observation.
 *
 * @since 0.1.0
 * @see KlusterMeterDocumentation
 */
public class KlusterChatMeterObservationHandler implements ObservationHandler<KlusterChatObservationContext> {

	private static final String ERROR_TYPE = KlusterObservationDocumentation.LowCardinalityKeyNames.ERROR_TYPE
		.asString();

	private static final String TOKEN_TYPE = KlusterMeterDocumentation.TokenKeyNames.TOKEN_TYPE.asString();

	private static final String PARAMETER = KlusterMeterDocumentation.ValidationKeyNames.PARAMETER.asString();

	private final MeterRegistry meterRegistry;

	private final ValidationParameterTags parameterTags;

	/**
	 * Create a handler.
	 * @param meterRegistry where to record
	 * @param parameterTags the bounded tag values of refused parameters
	 */
	public KlusterChatMeterObservationHandler(MeterRegistry meterRegistry, ValidationParameterTags parameterTags) {
		this.meterRegistry = meterRegistry;
		this.parameterTags = parameterTags;
	}

	@Override
	public void onStop(KlusterChatObservationContext context) {
		if (context.getError() instanceof KlusterValidationException rejection) {
			recordRejection(rejection);
			return;
		}
		Usage usage = context.getUsage();
		Duration timeToFirstChunk = context.isStreaming() ? context.getTimeToFirstChunk() : null;
		if (usage == null && timeToFirstChunk == null) {
			return;
		}
		Tags tags = tags(context);
		if (usage != null) {
			tokenUsage(tags, "input").record(usage.promptTokens());
			tokenUsage(tags, "output").record(usage.completionTokens());
		}
		if (timeToFirstChunk != null) {
			Timer.builder(KlusterMeterDocumentation.TIME_TO_FIRST_CHUNK.getName())
				.description("Time to receive the first chunk of a streamed answer")
				.tags(tags)
				.register(this.meterRegistry)
				.record(timeToFirstChunk);
			recordTimePerOutputChunk(context, tags);
		}
	}

	private DistributionSummary tokenUsage(Tags tags, String tokenType) {
		return DistributionSummary.builder(KlusterMeterDocumentation.TOKEN_USAGE.getName())
			.description("Number of input and output tokens used")
			.tags(tags)
			.tag(TOKEN_TYPE, tokenType)
			.register(this.meterRegistry);
	}

	// The conventions record one sample per chunk after the first. The chunks are not
	// timed one by one; their mean is recorded as many times, which keeps the sum and the
	// count exact and costs nothing while the stream runs.
	private void recordTimePerOutputChunk(KlusterChatObservationContext context, Tags tags) {
		Duration mean = context.getMeanTimePerOutputChunk();
		if (mean == null) {
			return;
		}
		Timer timer = Timer.builder(KlusterMeterDocumentation.TIME_PER_OUTPUT_CHUNK.getName())
			.description("Time between two chunks of a streamed answer")
			.tags(tags)
			.register(this.meterRegistry);
		long nanos = mean.toNanos();
		for (int i = 1; i < context.getChunkCount(); i++) {
			timer.record(nanos, TimeUnit.NANOSECONDS);
		}
	}

	private void recordRejection(KlusterValidationException rejection) {
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

	private static Tags tags(KlusterChatObservationContext context) {
		List<Tag> tags = new ArrayList<>(6);
		for (KeyValue keyValue : context.getLowCardinalityKeyValues()) {
			if (!ERROR_TYPE.equals(keyValue.getKey())) {
				tags.add(Tag.of(keyValue.getKey(), keyValue.getValue()));
			}
		}
		return Tags.of(tags);
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof KlusterChatObservationContext;
	}

}
