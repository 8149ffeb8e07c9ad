package dev.kluster.sample;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import dev.kluster.boot.test.KlusterStandIn;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Lets the sample run on a machine without a kluster.ai account: when no API key is
 * configured (neither {@code KLUSTER_API_KEY} nor {@code kluster.api-key}), it starts the
 * local stand-in and points the client at it, and moves the stand-in's clock on so that
 * batches end by themselves. The stand-in is closed with the context.
 */
class StandInEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String STAND_IN_PROPERTY = "sample.stand-in";

	static final String STAND_IN_EMBEDDING_MODEL = "stand-in/embedding";

	/** Set by Spring's ahead-of-time processing while it runs the application. */
	private static final String AOT_PROCESSING = "spring.aot.processing";

	private final Log logger;

	// Logging is not set up yet when environment post-processors run: Boot replays
	// deferred log lines once it is.
	StandInEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(StandInEnvironmentPostProcessor.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		// Ahead-of-time processing of the build runs the application only to record its bean
		// definitions, none of which depends on the stand-in: no server to start then.
		if (Boolean.getBoolean(AOT_PROCESSING)) {
			return;
		}
		if (environment.containsProperty("kluster.api-key")
				|| !environment.getProperty("sample.stand-in.enabled", Boolean.class, true)) {
			return;
		}
		// Paced so that the page shows the answer arriving word by word, as with a real model.
		KlusterStandIn standIn = KlusterStandIn.start()
			.chunkDelay(environment.getProperty("sample.stand-in.chunk-delay", Duration.class, Duration.ofMillis(60)))
			// Minutes of the stand-in's clock, as a small batch on kluster.ai might take.
			.batchTimeline(Duration.ofMinutes(1), Duration.ofMinutes(3), Duration.ofMinutes(1));
		// The stand-in's batches move only when its clock does: move it on, a minute of its
		// time every tick, so that a batch on the page ends within seconds.
		Duration tick = environment.getProperty("sample.stand-in.batch-tick", Duration.class, Duration.ofMillis(100));
		Disposable clock = Flux.interval(tick).subscribe((ticks) -> standIn.clock().advance(Duration.ofMinutes(1)));
		// Polls as often as the clock ticks: waiting for a batch is seconds here, not hours.
		Map<String, Object> properties = new HashMap<>(Map.of("kluster.base-url", standIn.baseUrl(),
				"kluster.api-key", "stand-in-key", "kluster.batch.poll-interval", tick.toString(),
				"kluster.batch.max-poll-interval", tick.multipliedBy(5).toString(), STAND_IN_PROPERTY, true));
		// The stand-in embeds with any model; kluster.ai's reference names none to default to.
		if (!environment.containsProperty("kluster.embedding.model")) {
			properties.put("kluster.embedding.model", STAND_IN_EMBEDDING_MODEL);
		}
		environment.getPropertySources().addFirst(new MapPropertySource("kluster-stand-in", properties));
		application.addInitializers(
				(context) -> context.getBeanFactory().registerSingleton("klusterStandIn", standIn));
		application.addListeners((ApplicationListener<ContextClosedEvent>) (event) -> {
			clock.dispose();
			standIn.close();
		});
		this.logger.warn("No kluster.ai API key is set: answers are CANNED, served by the local stand-in at "
				+ standIn.baseUrl() + ". Set KLUSTER_API_KEY to talk to kluster.ai.");
	}

	@Override
	public int getOrder() {
		// After the config files are read, so that kluster.api-key in application.yml counts.
		return Ordered.LOWEST_PRECEDENCE;
	}

}
