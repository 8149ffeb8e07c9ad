package dev.kluster.boot.observation;

import java.time.Duration;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import org.jspecify.annotations.Nullable;

/**
 * Shapes the meters of kluster.ai calls. The operation timers keep one error tag, the
 * conventions' {@code error.type}: Micrometer's own {@code error} tag, which its
 * {@code DefaultMeterObservationHandler} adds to every observation timer, is removed
 * from them. Optionally, the GenAI meters are published as histograms with the bucket
 * boundaries the OpenTelemetry conventions recommend, so that latency percentiles can be
 * computed across instances (for example with Prometheus' {@code histogram_quantile});
 * boundaries configured by the application, for example through
 * {@code management.metrics.distribution.slo.*}, win.
 *
 * @since 0.1.0
 */
public final class KlusterMeterFilter implements MeterFilter {

	/** Boundaries of the duration histograms, in seconds. */
	static final double[] SECONDS = { 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96,
			81.92 };

	/** Boundaries of the token usage histogram. */
	static final double[] TOKENS = { 1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216,
			67108864 };

	private static final double[] NANOSECONDS = nanoseconds(SECONDS);

	// The tag DefaultMeterObservationHandler adds, under the name it uses.
	private static final String MICROMETER_ERROR = "error";

	private final boolean histograms;

	/**
	 * Create a filter.
	 * @param histograms whether to publish the GenAI meters as histograms
	 */
	public KlusterMeterFilter(boolean histograms) {
		this.histograms = histograms;
	}

	@Override
	public Meter.Id map(Meter.Id id) {
		if (id.getType() == Meter.Type.TIMER && isOperationTimer(id.getName())
				&& id.getTag(MICROMETER_ERROR) != null) {
			return id.replaceTags(id.getTags().stream().filter((tag) -> !MICROMETER_ERROR.equals(tag.getKey())).toList());
		}
		return id;
	}

	private static boolean isOperationTimer(String name) {
		return name.equals(DefaultKlusterChatObservationConvention.DEFAULT_NAME)
				|| name.equals(DefaultKlusterBatchObservationConvention.DEFAULT_NAME);
	}

	@Override
	public @Nullable DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
		if (!this.histograms || config.getServiceLevelObjectiveBoundaries() != null) {
			return config;
		}
		double[] boundaries = boundaries(id);
		if (boundaries == null) {
			return config;
		}
		return DistributionStatisticConfig.builder().serviceLevelObjectives(boundaries).build().merge(config);
	}

	private static double @Nullable [] boundaries(Meter.Id id) {
		String name = id.getName();
		if (id.getType() == Meter.Type.TIMER && (name.equals(DefaultKlusterChatObservationConvention.DEFAULT_NAME)
				|| name.equals(KlusterMeterDocumentation.TIME_TO_FIRST_CHUNK.getName()))) {
			// Timers take their boundaries in nanoseconds.
			return NANOSECONDS;
		}
		if (id.getType() == Meter.Type.DISTRIBUTION_SUMMARY
				&& name.equals(KlusterMeterDocumentation.TOKEN_USAGE.getName())) {
			return TOKENS;
		}
		return null;
	}

	private static double[] nanoseconds(double[] seconds) {
		double[] nanos = new double[seconds.length];
		for (int i = 0; i < seconds.length; i++) {
			nanos[i] = Duration.ofMillis(Math.round(seconds[i] * 1000)).toNanos();
		}
		return nanos;
	}

}
