package dev.kluster.boot.observation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler.IgnoredMeters;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationView;
import org.jspecify.annotations.Nullable;

import dev.kluster.boot.model.Usage;

/**
 * Records the meters of kluster.ai chat calls, and of the observations nested in them
 * (the {@code WebClient} HTTP exchange), in place of Micrometer's
 * {@link DefaultMeterObservationHandler}: the operation timer
 * ({@code gen_ai.client.operation.duration}, tagged with the low-cardinality keys of the
 * observation, {@code error.type} its one error tag), its {@code .active} long task
 * timer, a counter per event (such as {@code .cancelled}), the token usage and a
 * stream's time to first chunk. A nested observation gets exactly the meters
 * {@code DefaultMeterObservationHandler} would give it ({@code http.client.requests}
 * with its {@code error} tag, and so on).
 * <p>
 * Every call of an application records the same few tag sets, so the meters of each tag
 * set are registered once and kept, instead of being looked up in the registry, with
 * their tags sorted and their ids built, on every call. Meter filters apply as usual, when
 * a tag set is first seen; beyond {@value #MAX_TAG_SETS} tag sets per kind of meter,
 * meters are looked up in the registry again. A meter removed from the registry is not
 * registered again by this handler. Everything is recorded when the observation
 * starts and stops; nothing runs per chunk.
 * <p>
 * It is a {@link MeterObservationHandler} that supports only these observations: in a
 * {@link FirstMatchingCompositeObservationHandler} placed before
 * {@code DefaultMeterObservationHandler} (what Spring Boot does with the meter handlers
 * it finds, wrapping each in a tracing-aware one when tracing is on), it handles them, and
 * {@code DefaultMeterObservationHandler} every other observation. Registered on its own
 * beside {@code DefaultMeterObservationHandler}, both would record the same timers.
 *
 * @since 0.1.0
 * @see KlusterMeterDocumentation
 */
public class KlusterChatMeterObservationHandler implements MeterObservationHandler<Observation.Context> {

	/** The most tag sets whose meters are kept, per kind of meter. */
	static final int MAX_TAG_SETS = 1000;

	private static final String ERROR_TYPE = KlusterObservationDocumentation.LowCardinalityKeyNames.ERROR_TYPE
		.asString();

	private static final String TOKEN_TYPE = KlusterMeterDocumentation.TokenKeyNames.TOKEN_TYPE.asString();

	// The error tag DefaultMeterObservationHandler puts on the timers of other observations.
	private static final String ERROR = "error";

	private static final String NO_ERROR = "none";

	private final MeterRegistry meterRegistry;

	private final Clock clock;

	private final boolean longTaskTimers;

	private final MeterCache<LongTaskTimer> activeTimers;

	private final MeterCache<ChatMeters> chatMeters;

	private final MeterCache<Timer> timers;

	/**
	 * Create a handler.
	 * @param meterRegistry where to record
	 */
	public KlusterChatMeterObservationHandler(MeterRegistry meterRegistry) {
		this(meterRegistry, new IgnoredMeters[0]);
	}

	/**
	 * Create a handler that leaves out some meters, as
	 * {@link DefaultMeterObservationHandler#DefaultMeterObservationHandler(MeterRegistry, IgnoredMeters...)}
	 * does.
	 * @param meterRegistry where to record
	 * @param metersToIgnore the meters not to create
	 */
	public KlusterChatMeterObservationHandler(MeterRegistry meterRegistry, IgnoredMeters... metersToIgnore) {
		this.meterRegistry = meterRegistry;
		this.clock = meterRegistry.config().clock();
		this.longTaskTimers = !Arrays.asList(metersToIgnore).contains(IgnoredMeters.LONG_TASK_TIMER);
		this.activeTimers = new MeterCache<>(MAX_TAG_SETS, (key) -> LongTaskTimer.builder(key.name() + ".active")
			.tags(tags(key.keyValues(), null))
			.register(meterRegistry));
		// The timer of a chat call has the conventions' error.type and no other error tag.
		this.chatMeters = new MeterCache<>(MAX_TAG_SETS,
				(key) -> new ChatMeters(
						Timer.builder(key.name()).tags(tags(key.keyValues(), null)).register(meterRegistry),
						tags(key.keyValues(), ERROR_TYPE)));
		this.timers = new MeterCache<>(MAX_TAG_SETS, (key) -> Timer.builder(key.name())
			.tags(tags(key.keyValues(), null))
			.tag(ERROR, key.qualifier())
			.register(meterRegistry));
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof KlusterChatObservationContext || isNestedInChat(context);
	}

	private static boolean isNestedInChat(Observation.Context context) {
		ObservationView parent = context.getParentObservation();
		while (parent != null) {
			if (parent.getContextView() instanceof KlusterChatObservationContext) {
				return true;
			}
			parent = parent.getContextView().getParentObservation();
		}
		return false;
	}

	@Override
	public void onStart(Observation.Context context) {
		LongTaskTimer.Sample active = null;
		if (this.longTaskTimers) {
			active = this.activeTimers.get(context.getName(), context.getLowCardinalityKeyValues(), null).start();
		}
		Started started = new Started(this.clock.monotonicTime(), active);
		if (context instanceof KlusterChatObservationContext chat) {
			chat.setMeterStart(started);
		}
		else {
			context.put(Started.class, started);
		}
	}

	@Override
	public void onStop(Observation.Context context) {
		Started started = (context instanceof KlusterChatObservationContext chat) ? (Started) chat.getMeterStart()
				: context.getRequired(Started.class);
		long duration = this.clock.monotonicTime() - started.time();
		String name = context.getName();
		KeyValues keyValues = context.getLowCardinalityKeyValues();
		if (context instanceof KlusterChatObservationContext chat) {
			ChatMeters meters = this.chatMeters.get(name, keyValues, null);
			meters.duration.record(duration, TimeUnit.NANOSECONDS);
			recordUsageAndFirstChunk(chat, meters);
		}
		else {
			this.timers.get(name, keyValues, errorValue(context)).record(duration, TimeUnit.NANOSECONDS);
		}
		if (started.active() != null) {
			started.active().stop();
		}
	}

	private void recordUsageAndFirstChunk(KlusterChatObservationContext context, ChatMeters meters) {
		Usage usage = context.getUsage();
		if (usage != null) {
			meters.inputTokens(this.meterRegistry).record(usage.promptTokens());
			if (context.hasOutputTokens()) {
				meters.outputTokens(this.meterRegistry).record(usage.completionTokens());
			}
		}
		Duration timeToFirstChunk = context.isStreaming() ? context.getTimeToFirstChunk() : null;
		if (timeToFirstChunk != null) {
			meters.timeToFirstChunk(this.meterRegistry).record(timeToFirstChunk);
		}
	}

	// Events are rare (a cancel, a retry): their counters are looked up each time, as
	// DefaultMeterObservationHandler does.
	@Override
	public void onEvent(Observation.Event event, Observation.Context context) {
		String name = context.getName() + "." + event.getName();
		Counter.builder(name)
			.tags(tags(context.getLowCardinalityKeyValues(), null))
			.register(this.meterRegistry)
			.increment();
	}

	private static String errorValue(Observation.Context context) {
		Throwable error = context.getError();
		return (error != null) ? error.getClass().getSimpleName() : NO_ERROR;
	}

	private static Tags tags(KeyValues keyValues, @Nullable String leftOut) {
		List<Tag> tags = new ArrayList<>();
		for (KeyValue keyValue : keyValues) {
			if (!keyValue.getKey().equals(leftOut)) {
				tags.add(Tag.of(keyValue.getKey(), keyValue.getValue()));
			}
		}
		return Tags.of(tags);
	}

	/** When an observation started, and its sample of the long task timer. */
	private record Started(long time, LongTaskTimer.@Nullable Sample active) {
	}

	/**
	 * The meters of one tag set of chat calls. The token and first chunk meters are
	 * registered when first recorded, so that an application whose calls report no usage,
	 * or that streams nothing, shows none.
	 */
	private static final class ChatMeters {

		final Timer duration;

		// The GenAI meters other than the duration have no error.type.
		private final Tags tags;

		private volatile @Nullable DistributionSummary inputTokens;

		private volatile @Nullable DistributionSummary outputTokens;

		private volatile @Nullable Timer timeToFirstChunk;

		ChatMeters(Timer duration, Tags tags) {
			this.duration = duration;
			this.tags = tags;
		}

		// A race registers a meter twice, and the registry answers both with the same one.
		DistributionSummary inputTokens(MeterRegistry registry) {
			DistributionSummary summary = this.inputTokens;
			if (summary == null) {
				summary = tokenUsage(registry, "input");
				this.inputTokens = summary;
			}
			return summary;
		}

		DistributionSummary outputTokens(MeterRegistry registry) {
			DistributionSummary summary = this.outputTokens;
			if (summary == null) {
				summary = tokenUsage(registry, "output");
				this.outputTokens = summary;
			}
			return summary;
		}

		private DistributionSummary tokenUsage(MeterRegistry registry, String tokenType) {
			return DistributionSummary.builder(KlusterMeterDocumentation.TOKEN_USAGE.getName())
				.description("Number of input and output tokens used")
				.tags(this.tags)
				.tag(TOKEN_TYPE, tokenType)
				.register(registry);
		}

		Timer timeToFirstChunk(MeterRegistry registry) {
			Timer timer = this.timeToFirstChunk;
			if (timer == null) {
				timer = Timer.builder(KlusterMeterDocumentation.TIME_TO_FIRST_CHUNK.getName())
					.description("Time to receive the first chunk of a streamed answer")
					.tags(this.tags)
					.register(registry);
				this.timeToFirstChunk = timer;
			}
			return timer;
		}

	}

}
