package dev.kluster.boot.observation;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler.IgnoredMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KlusterChatMeterObservationHandler}, registered as Spring Boot registers
 * meter handlers: before Micrometer's {@link DefaultMeterObservationHandler}, the first
 * that supports an observation recording its meters.
 */
class KlusterChatMeterObservationHandlerTests {

	private static final String NAME = "gen_ai.client.operation.duration";

	private final SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();

	private final ObservationRegistry observationRegistry = ObservationRegistry.create();

	private KlusterChatMeterObservationHandler handler = new KlusterChatMeterObservationHandler(this.meterRegistry);

	private void register() {
		this.observationRegistry.observationConfig()
			.observationHandler(new FirstMatchingCompositeObservationHandler(this.handler,
					new DefaultMeterObservationHandler(this.meterRegistry)));
	}

	private Observation chat() {
		KlusterChatObservationContext context = new KlusterChatObservationContext(KlusterChatObservationContext.CHAT,
				ChatCompletionRequest.builder().model("m").message(ChatMessage.user("Hi")).build(), false);
		context.setServer("api.kluster.ai", 443);
		return KlusterObservationDocumentation.CLIENT_OPERATION.observation(null,
				new DefaultKlusterChatObservationConvention(), () -> context, this.observationRegistry);
	}

	@Test
	void chatCallIsTimedOnceWithErrorTypeAsItsOnlyErrorTag() {
		register();
		Observation chat = chat().start();
		chat.error(new IllegalStateException("Slow down"));
		chat.stop();
		Timer timer = this.meterRegistry.get(NAME).timer();
		assertThat(timer.count()).isEqualTo(1);
		assertThat(timer.getId().getTag("error.type")).isEqualTo(IllegalStateException.class.getName());
		assertThat(timer.getId().getTag("error")).isNull();
	}

	@Test
	void callsInFlightAreCountedWithTheTagsKnownAtTheStart() {
		register();
		Observation chat = chat().start();
		LongTaskTimer active = this.meterRegistry.get(NAME + ".active").longTaskTimer();
		assertThat(active.activeTasks()).isEqualTo(1);
		assertThat(active.getId().getTag("gen_ai.request.model")).isEqualTo("m");
		chat.stop();
		assertThat(active.activeTasks()).isZero();
	}

	@Test
	void eachEventIsCounted() {
		register();
		Observation chat = chat().start();
		chat.event(KlusterObservationDocumentation.Events.CANCELLED);
		chat.stop();
		assertThat(this.meterRegistry.get(NAME + ".cancelled").tag("gen_ai.request.model", "m").counter().count())
			.isEqualTo(1);
	}

	@Test
	void observationNestedInAChatCallGetsTheMetersOfMicrometersHandler() {
		register();
		Observation chat = chat().start();
		Observation.Context exchangeContext = new Observation.Context();
		Observation exchange = Observation
			.createNotStarted("http.client.requests", () -> exchangeContext, this.observationRegistry)
			.lowCardinalityKeyValue("method", "POST")
			.parentObservation(chat)
			.start();
		assertThat(this.handler.supportsContext(exchangeContext)).isTrue();
		assertThat(this.meterRegistry.get("http.client.requests.active").longTaskTimer().activeTasks()).isEqualTo(1);
		exchange.stop();
		chat.stop();
		Timer timer = this.meterRegistry.get("http.client.requests").tag("method", "POST").tag("error", "none").timer();
		assertThat(timer.count()).isEqualTo(1);
	}

	@Test
	void otherObservationsAreLeftToMicrometersHandler() {
		assertThat(this.handler.supportsContext(new Observation.Context())).isFalse();
	}

	@Test
	void longTaskTimersCanBeLeftOut() {
		this.handler = new KlusterChatMeterObservationHandler(this.meterRegistry, IgnoredMeters.LONG_TASK_TIMER);
		register();
		Observation chat = chat().start();
		assertThat(this.meterRegistry.find(NAME + ".active").meters()).isEmpty();
		chat.stop();
		assertThat(this.meterRegistry.get(NAME).timer().count()).isEqualTo(1);
	}

}
