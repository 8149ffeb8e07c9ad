package dev.kluster.boot.observation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

import dev.kluster.boot.model.Usage;

/**
 * Records the meters of kluster.ai chat calls that a timer of the observation cannot
 * give: token usage and a stream's time to first chunk. Everything is recorded once, when
 * the observation stops; nothing runs per chunk.
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

	private final MeterRegistry meterRegistry;

	/**
	 * Create a handler.
	 * @param meterRegistry where to record
	 */
	public KlusterChatMeterObservationHandler(MeterRegistry meterRegistry) {
		this.meterRegistry = meterRegistry;
	}

	@Override
	public void onStop(KlusterChatObservationContext context) {
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
		}
	}

	private DistributionSummary tokenUsage(Tags tags, String tokenType) {
		return DistributionSummary.builder(KlusterMeterDocumentation.TOKEN_USAGE.getName())
			.description("Number of input and output tokens used")
			.tags(tags)
			.tag(TOKEN_TYPE, tokenType)
			.register(this.meterRegistry);
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
