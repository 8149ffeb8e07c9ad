package dev.kluster.boot.resilience;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.transport.KlusterConcurrencyLimit;
import dev.kluster.boot.error.KlusterException;
import dev.kluster.boot.error.KlusterTimeoutException;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that a stream ends at {@code data: [DONE]}, whatever the server does after it,
 * and that the stream limits time the server rather than the subscriber.
 * <p>
 * The stream idle timeout is long in the tests of {@code [DONE]}, and each
 * {@code StepVerifier} waits a few seconds at most: that wait only detects a stream that
 * hangs until the idle timeout, it bounds no performance.
 */
class StreamEndTests {

	private static final Duration HANG = Duration.ofSeconds(10);

	private static final String DONE = "data: [DONE]\n\n";

	private final LocalKluster kluster = LocalKluster.start();

	@AfterEach
	void close() {
		this.kluster.close();
	}

	private void run(Consumer<KlusterChatClient> test, String... properties) {
		KlusterContexts.runner(this.kluster.baseUrl())
			.withPropertyValues("kluster.stream-idle-timeout=30s", "kluster.max-concurrent-requests=1")
			.withPropertyValues(properties)
			.run((context) -> {
				test.accept(context.getBean(KlusterChatClient.class));
				// The slot of the stream is free again: with one slot, a next call goes through.
				StepVerifier.create(context.getBean(KlusterChatClient.class).chat("Hi"))
					.expectNext("Hello there")
					.expectComplete()
					.verify(HANG);
				KlusterConcurrencyLimit limit = context.getBean(KlusterConcurrencyLimit.class);
				await().atMost(HANG).untilAsserted(() -> assertThat(limit.inFlight()).isZero());
			});
	}

	private static Flux<String> answer(int chunks) {
		return Flux.range(0, chunks).map((i) -> "data: " + LocalKluster.CHUNK + "\n\n").concatWith(Mono.just(DONE));
	}

	@Test
	void streamWhoseBodyStaysOpenAfterDoneCompletesAtDone() {
		this.kluster.then((request, response) -> response.header("Content-Type", "text/event-stream")
			.sendString(answer(3).concatWith(Flux.never()))
			.then());
		run((client) -> StepVerifier.create(client.stream("Hi"))
			.expectNext("word ", "word ", "word ")
			.expectComplete()
			.verify(HANG));
		// The body was not finished: the connection was closed, and the server saw it.
		await().atMost(HANG).untilAsserted(() -> assertThat(this.kluster.inFlight()).isZero());
	}

	@Test
	void streamThatEndsAtDoneIsObservedAsCompletedNotCancelled() {
		this.kluster.then((request, response) -> response.header("Content-Type", "text/event-stream")
			.sendString(answer(3).concatWith(Flux.never()))
			.then());
		TestObservationRegistry registry = TestObservationRegistry.create();
		KlusterContexts.runner(this.kluster.baseUrl())
			.withPropertyValues("kluster.stream-idle-timeout=30s")
			.withBean(ObservationRegistry.class, () -> registry)
			.run((context) -> StepVerifier.create(context.getBean(KlusterChatClient.class).stream("Hi"))
				.expectNextCount(3)
				.expectComplete()
				.verify(HANG));
		TestObservationRegistryAssert.assertThat(registry)
			.hasObservationWithNameEqualTo("gen_ai.client.operation.duration")
			.that()
			.hasBeenStopped()
			.doesNotHaveError()
			.doesNotHaveEvent("cancelled");
	}

	@Test
	void keepAliveCommentsAfterDoneAreIgnored() {
		this.kluster.then((request, response) -> response.header("Content-Type", "text/event-stream")
			.sendString(answer(3).concatWith(Flux.interval(Duration.ofMillis(5)).map((i) -> ": keep-alive\n\n")))
			.then());
		run((client) -> StepVerifier.create(client.stream("Hi"))
			.expectNextCount(3)
			.expectComplete()
			.verify(HANG));
		await().atMost(HANG).untilAsserted(() -> assertThat(this.kluster.inFlight()).isZero());
	}

	@Test
	void connectionDroppedRightAfterDoneStillCompletesTheStream() {
		// No terminating chunk: the body is cut off just after the complete answer.
		this.kluster.then((request, response) -> response.header("Content-Type", "text/event-stream")
			.sendString(answer(3))
			.then()
			.then(Mono.fromRunnable(() -> response.withConnection((connection) -> connection.channel().close())))
			.then(Mono.never()));
		run((client) -> StepVerifier.create(client.stream("Hi"))
			.expectNextCount(3)
			.expectComplete()
			.verify(HANG));
	}

	@Test
	void dataAfterDoneIsNotPartOfTheAnswer() {
		this.kluster.then((request, response) -> response.header("Content-Type", "text/event-stream")
			.sendString(answer(2).concatWith(Mono.just("data: {not json\n\ndata: " + LocalKluster.CHUNK + "\n\n")))
			.then());
		run((client) -> StepVerifier.create(client.stream("Hi"))
			.expectNextCount(2)
			.expectComplete()
			.verify(HANG));
	}

	@Test
	void streamThatEndsNormallyLeavesItsConnectionForTheNextCall() throws IOException {
		String events = answer(3).collect(Collectors.joining()).block(HANG);
		try (RawServer server = RawServer.keepingAlive(Duration.ZERO, chunkedEventStream(events))) {
			// The stream completes at [DONE]; Reactor Netty gives the connection back to the
			// pool once it has read the body's end, which came in the same read, a moment later.
			streamThreeTimesOverOnePooledConnection(server);
		}
	}

	@Test
	void streamWhoseBodyEndsShortlyAfterDoneLeavesItsConnectionForTheNextCall() throws IOException {
		String events = answer(3).collect(Collectors.joining()).block(HANG);
		byte[] body = events.getBytes(StandardCharsets.UTF_8);
		byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
				+ Integer.toHexString(body.length) + "\r\n" + events + "\r\n").getBytes(StandardCharsets.UTF_8);
		byte[] end = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
		// The end of the body in a write of its own, after data: [DONE], as a server that
		// closes its body when the generation is over writes it. Completed at [DONE]; the
		// body's end, read after it, gives the connection back to the pool rather than
		// closing it.
		try (RawServer server = RawServer.keepingAlive(Duration.ofMillis(50), head, end)) {
			streamThreeTimesOverOnePooledConnection(server);
		}
	}

	// Three streams one after the other, each starting once the previous one's connection
	// is idle in the pool: all three must go over that one connection.
	private static void streamThreeTimesOverOnePooledConnection(RawServer server) {
		AtomicReference<ConnectionPoolMetrics> pool = new AtomicReference<>();
		ConnectionProvider connections = ConnectionProvider.builder("stream-end")
			.metrics(true, () -> (name, id, address, metrics) -> pool.set(metrics))
			.build();
		try {
			KlusterContexts.runner(server.baseUrl())
				.withBean(ClientHttpConnector.class,
						() -> new ReactorClientHttpConnector(HttpClient.create(connections)))
				.run((context) -> {
					KlusterChatClient client = context.getBean(KlusterChatClient.class);
					for (int i = 0; i < 3; i++) {
						StepVerifier.create(client.stream("Hi")).expectNextCount(3).expectComplete().verify(HANG);
						await().atMost(HANG).untilAsserted(() -> assertThat(pool.get().idleSize()).isOne());
					}
				});
			assertThat(server.connections()).isOne();
			assertThat(server.requests()).hasSize(3);
		}
		finally {
			connections.dispose();
		}
	}

	@Test
	void slotIsFreeAsSoonAsTheStreamCompletesAtDone() {
		this.kluster.then((request, response) -> response.header("Content-Type", "text/event-stream")
			.sendString(answer(3).concatWith(Flux.never()))
			.then());
		KlusterContexts.runner(this.kluster.baseUrl())
			.withPropertyValues("kluster.max-concurrent-requests=1")
			.run((context) -> {
				StepVerifier.create(context.getBean(KlusterChatClient.class).stream("Hi"))
					.expectNextCount(3)
					.expectComplete()
					.verify(HANG);
				assertThat(context.getBean(KlusterConcurrencyLimit.class).inFlight()).isZero();
			});
	}

	@Test
	void slowSubscriberGetsEveryChunkWithoutAnIdleTimeout() {
		// The whole answer in one write: no pause of the server's own can be mistaken for
		// what the test is about.
		this.kluster.then((request, response) -> response.header("Content-Type", "text/event-stream")
			.sendString(answer(4).collect(Collectors.joining()))
			.then());
		run((client) -> StepVerifier
			// One chunk at a time, each taking longer than the idle timeout, which is long
			// enough that a busy machine's slow first byte does not reach it.
			.create(client.stream("Hi").concatMap((word) -> Mono.delay(Duration.ofMillis(1200)).thenReturn(word), 1))
			.expectNextCount(4)
			.expectComplete()
			.verify(Duration.ofSeconds(30)), "kluster.stream-idle-timeout=1s");
	}

	@Test
	void totalTimeoutAfterChunksSaysHowManyArrived() {
		this.kluster.then(LocalKluster.stallAfterChunks(3));
		run((client) -> StepVerifier.create(client.stream("Hi"))
			.expectNextCount(3)
			.expectErrorSatisfies((ex) -> {
				assertThat(ex).isInstanceOf(KlusterTimeoutException.class)
					.hasMessage("The stream from kluster.ai ran longer than PT0.5S (kluster.total-timeout); "
							+ "3 chunks received");
				assertThat(((KlusterTimeoutException) ex).limit()).isEqualTo("kluster.total-timeout");
				assertThat(((KlusterException) ex).attempts()).isEqualTo(1);
			})
			.verify(HANG), "kluster.total-timeout=500ms");
	}

	// The whole chunked event stream with its terminating chunk in one write: the client
	// reads the end of the body together with data: [DONE].
	private static byte[] chunkedEventStream(String events) {
		byte[] body = events.getBytes(StandardCharsets.UTF_8);
		return ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
				+ Integer.toHexString(body.length) + "\r\n" + events + "\r\n0\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8);
	}

}
