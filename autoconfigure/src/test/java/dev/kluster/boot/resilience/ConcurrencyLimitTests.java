package dev.kluster.boot.resilience;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.transport.KlusterConcurrencyLimit;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of {@code kluster.max-concurrent-requests} under load, and of what cancelled
 * streams give back, counted by the connector under the limit and by a local server.
 * Tagged {@code load}: they run in every build, print their counts and times, and
 * assert no time, only generous timeouts against a hang.
 */
@Tag("load")
class ConcurrencyLimitTests {

	private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(2);

	private final LocalKluster kluster = LocalKluster.start();

	private final List<ConnectionPoolMetrics> pools = new CopyOnWriteArrayList<>();

	// A pool large enough not to be the limit, and whose metrics the test can read.
	private final ConnectionProvider provider = ConnectionProvider.builder("kluster-test")
		.maxConnections(1000)
		.pendingAcquireMaxCount(-1)
		.metrics(true, () -> this::register)
		.build();

	@AfterEach
	void close() {
		this.kluster.close();
		this.provider.disposeLater().block(Duration.ofSeconds(5));
	}

	private final ExchangeCountingConnector connector = new ExchangeCountingConnector(
			new ReactorClientHttpConnector(HttpClient.create(this.provider)));

	private void register(String poolName, String id, SocketAddress remoteAddress, ConnectionPoolMetrics metrics) {
		this.pools.add(metrics);
	}

	private ApplicationContextRunner runner() {
		return KlusterContexts.runner(this.kluster.baseUrl())
			.withBean(ClientHttpConnector.class, () -> this.connector);
	}

	@Test
	void twoThousandCallsAtTwoHundredInFlightNeverExceedTheLimit() {
		// The first answers wait until 20 calls are open at once, so that the test is
		// known to have filled every slot however slow the machine.
		this.kluster.byDefault(afterOpenAtOnce(20, LocalKluster.json(200, LocalKluster.COMPLETION)));
		runner().withPropertyValues("kluster.max-concurrent-requests=20").run((context) -> {
			KlusterChatClient client = context.getBean(KlusterChatClient.class);
			KlusterConcurrencyLimit limit = context.getBean(KlusterConcurrencyLimit.class);
			long start = System.nanoTime();
			StepVerifier.create(Flux.range(0, 2000).flatMap((i) -> client.chat("Hi"), 200).count())
				.expectNext(2000L)
				.expectComplete()
				.verify(LOAD_TIMEOUT);
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			// Printed for the record only: how long it takes depends on the machine.
			System.out.println("Load test: 2000 calls, 200 in flight, limit 20: at most " + this.connector.maxOpen()
					+ " exchanges open at once, took " + took.toMillis() + " ms");
			assertThat(this.kluster.requests()).isEqualTo(2000);
			assertThat(this.connector.maxOpen()).isEqualTo(20);
			assertThat(this.connector.open()).isZero();
			assertThat(limit.inFlight()).isZero();
			assertThat(limit.queued()).isZero();
		});
	}

	@Test
	void withoutALimitTheSameLoadGoesBeyondIt() {
		// No answer until 21 calls are open at once: with a limit of 20 this would never end.
		this.kluster.byDefault(afterOpenAtOnce(21, LocalKluster.json(200, LocalKluster.COMPLETION)));
		runner().run((context) -> {
			assertThat(context).doesNotHaveBean(KlusterConcurrencyLimit.class);
			KlusterChatClient client = context.getBean(KlusterChatClient.class);
			StepVerifier.create(Flux.range(0, 200).flatMap((i) -> client.chat("Hi"), 200).count())
				.expectNext(200L)
				.expectComplete()
				.verify(LOAD_TIMEOUT);
		});
		assertThat(this.connector.maxOpen()).isGreaterThan(20);
		assertThat(this.kluster.maxInFlight()).isGreaterThan(20);
	}

	/**
	 * Holds every answer until {@code calls} requests have arrived, then answers as
	 * {@code then} does: the first {@code calls} are known to be open together.
	 */
	private static LocalKluster.Behavior afterOpenAtOnce(int calls, LocalKluster.Behavior then) {
		AtomicInteger arrived = new AtomicInteger();
		CompletableFuture<Void> allOpen = new CompletableFuture<>();
		return (request, response) -> {
			if (arrived.incrementAndGet() >= calls) {
				allOpen.complete(null);
			}
			return Mono.fromFuture(allOpen).then(then.apply(request, response));
		};
	}

	@Test
	void aThousandStreamsCancelledMidwayGiveBackEveryConnectionAndSlot() {
		this.kluster.byDefault(LocalKluster.endlessStream(Duration.ofMillis(5)));
		runner().withPropertyValues("kluster.max-concurrent-requests=50").run((context) -> {
			KlusterChatClient client = context.getBean(KlusterChatClient.class);
			KlusterConcurrencyLimit limit = context.getBean(KlusterConcurrencyLimit.class);
			long start = System.nanoTime();
			StepVerifier.create(Flux.range(0, 1000).flatMap((i) -> client.stream("Hi").take(3), 200).count())
				.expectNext(3000L)
				.expectComplete()
				.verify(LOAD_TIMEOUT);
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			await().atMost(LOAD_TIMEOUT).untilAsserted(() -> {
				assertThat(limit.inFlight()).isZero();
				assertThat(limit.queued()).isZero();
				assertThat(this.pools).isNotEmpty();
				for (ConnectionPoolMetrics pool : this.pools) {
					assertThat(pool.acquiredSize()).isZero();
					assertThat(pool.pendingAcquireSize()).isZero();
				}
				// The server saw every cancelled stream's connection close.
				assertThat(this.kluster.inFlight()).isZero();
			});
			// Printed for the record only: how long it takes depends on the machine.
			System.out.println("Load test: 1000 streams cancelled after 3 chunks, 200 in flight, limit 50: at most "
					+ this.connector.maxOpen() + " exchanges open at once, took " + took.toMillis() + " ms");
			assertThat(this.kluster.requests()).isEqualTo(1000);
			assertThat(this.connector.maxOpen()).isLessThanOrEqualTo(50);
			assertThat(this.connector.open()).isZero();
		});
	}

}
