package dev.kluster.boot.observation;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.client.ChatDefaults;
import dev.kluster.boot.client.DefaultKlusterChatClient;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import org.springframework.web.reactive.function.client.WebClient;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterTimeouts;
import dev.kluster.boot.transport.KlusterRetry;

import static dev.kluster.boot.observation.KlusterChatObservationTests.CHUNK_2;
import static dev.kluster.boot.observation.KlusterChatObservationTests.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Streams that their subscriber leaves early, by the thousand, against a local server
 * whose streams never end: every observation, the client's and the HTTP exchange's, must
 * be stopped, and nothing left in flight.
 */
@Tag("load")
class CancelledStreamsTests {

	private static final int STREAMS = 1000;

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final String EVENT = "data: " + CHUNK_2 + "\n\n";

	private final TestObservationRegistry observationRegistry = TestObservationRegistry.create();

	private final SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();

	private final Lifecycle lifecycle = new Lifecycle();

	private DisposableServer server;

	@BeforeEach
	void startEndlessServer() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/v1/chat/completions",
					(request, response) -> response.header("Content-Type", "text/event-stream")
						.sendString(Flux.interval(Duration.ofMillis(1)).onBackpressureDrop().map((tick) -> EVENT))))
			.bindNow();
		this.observationRegistry.observationConfig()
			.observationHandler(this.lifecycle)
			.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
					new KlusterChatMeterObservationHandler(this.meterRegistry),
					new DefaultMeterObservationHandler(this.meterRegistry)));
	}

	@AfterEach
	void stopServer() {
		this.server.disposeNow();
	}

	@Test
	void thousandCancelledStreamsLeaveNoObservationOpen() {
		String baseUrl = "http://127.0.0.1:" + this.server.port() + "/v1";
		JsonMapper jsonMapper = JsonMapper.shared();
		KlusterConnection connection = KlusterConnection.builder()
			.webClient(WebClient.builder().observationRegistry(this.observationRegistry).build())
			.baseUrl(baseUrl)
			.jsonMapper(jsonMapper)
			.observations(KlusterObservations.of(this.observationRegistry, baseUrl))
			.build();
		KlusterChatClient client = DefaultKlusterChatClient.builder(connection)
			.defaults(ChatDefaults.model(MODEL))
			.timeouts(KlusterTimeouts.of(Duration.ofSeconds(10)))
			.retry(KlusterRetry.none())
			.build();
		ChatCompletionRequest request = ChatCompletionRequest.builder().message(ChatMessage.user("Go on")).build();
		Flux<Integer> streams = Flux.range(0, STREAMS)
			.flatMap((i) -> client.stream(request).take(2).count().map(Long::intValue), 32);
		long start = System.nanoTime();
		StepVerifier.create(streams).expectNextCount(STREAMS).expectComplete().verify(TIMEOUT);
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		// The HTTP exchange's observation ends when its connection is released, which may
		// follow the cancel by a moment.
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.lifecycle.stopped("http.client.requests")).isEqualTo(STREAMS));
		// Printed for the record only: how long it takes depends on the machine.
		System.out.printf("Load test: %d streams cancelled after 2 chunks, 32 at a time, in %d ms%n", STREAMS,
				took.toMillis());
		assertThat(this.lifecycle.started("gen_ai.client.operation.duration")).isEqualTo(STREAMS);
		assertThat(this.lifecycle.stopped("gen_ai.client.operation.duration")).isEqualTo(STREAMS);
		assertThat(this.lifecycle.started("http.client.requests")).isEqualTo(STREAMS);
		assertThat(this.lifecycle.stopped("http.client.requests")).isEqualTo(STREAMS);
		assertThat(this.lifecycle.errors()).isZero();
		assertThat(this.meterRegistry.get("gen_ai.client.operation.duration.cancelled").counter().count())
			.isEqualTo(STREAMS);
		assertThat(this.meterRegistry.get("gen_ai.client.operation.duration").timer().count()).isEqualTo(STREAMS);
		assertThat(this.meterRegistry.get("gen_ai.client.operation.time_to_first_chunk").timer().count())
			.isEqualTo(STREAMS);
		assertThat(this.meterRegistry.find("gen_ai.client.operation.duration.active")
			.longTaskTimers()
			.stream()
			.mapToLong(LongTaskTimer::activeTasks)
			.sum()).isZero();
	}

	/** Counts starts, stops and errors of every observation, by name. */
	static final class Lifecycle implements ObservationHandler<Observation.Context> {

		private final Map<String, AtomicInteger> started = new ConcurrentHashMap<>();

		private final Map<String, AtomicInteger> stopped = new ConcurrentHashMap<>();

		private final AtomicInteger errors = new AtomicInteger();

		@Override
		public void onStart(Observation.Context context) {
			this.started.computeIfAbsent(context.getName(), (name) -> new AtomicInteger()).incrementAndGet();
		}

		@Override
		public void onError(Observation.Context context) {
			if ("gen_ai.client.operation.duration".equals(context.getName())) {
				this.errors.incrementAndGet();
			}
		}

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.computeIfAbsent(context.getName(), (name) -> new AtomicInteger()).incrementAndGet();
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

		int started(String name) {
			return this.started.getOrDefault(name, new AtomicInteger()).get();
		}

		int stopped(String name) {
			return this.stopped.getOrDefault(name, new AtomicInteger()).get();
		}

		int errors() {
			return this.errors.get();
		}

	}

}
