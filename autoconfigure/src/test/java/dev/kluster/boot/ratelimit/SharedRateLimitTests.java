package dev.kluster.boot.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.kluster.boot.autoconfigure.KlusterAutoConfiguration;
import dev.kluster.boot.autoconfigure.KlusterRedisRateLimitAutoConfiguration;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.error.KlusterRateLimitStoreException;
import dev.kluster.boot.observation.KlusterRateLimitMeters;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.transport.KlusterConcurrencyLimit;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Budgets and slots shared through a real Redis by two and three application contexts,
 * each with its own {@code KlusterConnection} as separate instances of an application
 * have, against one stand-in.
 */
class SharedRateLimitTests {

	private static final Duration AWAIT = Duration.ofSeconds(30);

	private LocalRedis redis;

	private final KlusterStandIn standIn = KlusterStandIn.start();

	private final AtomicInteger paced = new AtomicInteger();

	private final AtomicInteger storeFailures = new AtomicInteger();

	private final List<Disposable> calls = new CopyOnWriteArrayList<>();

	private final KlusterRateLimitMeters meters = new KlusterRateLimitMeters() {

		@Override
		public void waited(String budget, Duration wait) {
			SharedRateLimitTests.this.paced.incrementAndGet();
		}

		@Override
		public void storeFailed() {
			SharedRateLimitTests.this.storeFailures.incrementAndGet();
		}

	};

	@BeforeEach
	void startRedis() {
		this.redis = LocalRedis.start();
	}

	@AfterEach
	void stop() {
		this.calls.forEach(Disposable::dispose);
		this.standIn.close();
		if (this.redis != null) {
			this.redis.close();
		}
		VirtualTimeScheduler.reset();
	}

	private ApplicationContextRunner instance(String... properties) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
					WebClientAutoConfiguration.class, DataRedisAutoConfiguration.class, KlusterAutoConfiguration.class,
					KlusterRedisRateLimitAutoConfiguration.class))
			.withBean(KlusterRateLimitMeters.class, () -> this.meters)
			.withPropertyValues("kluster.api-key=sk-test", "kluster.base-url=" + this.standIn.baseUrl(),
					"kluster.warm-up.enabled=false", "kluster.retry.enabled=false", "kluster.rate-limit.store=redis",
					"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + this.redis.port())
			.withPropertyValues(properties);
	}

	// Runs the assertions with as many instances running at once.
	private void withInstances(int count, ApplicationContextRunner runner,
			Consumer<List<AssertableApplicationContext>> test) {
		List<AssertableApplicationContext> contexts = new ArrayList<>();
		Runnable[] start = new Runnable[1];
		start[0] = () -> runner.run((context) -> {
			assertThat(context).hasNotFailed();
			contexts.add(context);
			if (contexts.size() < count) {
				start[0].run();
			}
			else {
				test.accept(contexts);
			}
		});
		start[0].run();
	}

	@Test
	void twelveRequestsPerMinuteSharedByThreeInstancesLetFortyRequestsThroughNoFasterThanTheBudget() {
		// The waits run in virtual time, which the buckets in Redis are computed by too.
		VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
		withInstances(3, instance("kluster.rate-limit.requests-per-minute=12", "kluster.rate-limit.max-wait=10m",
				"kluster.rate-limit.store-timeout=1h", "kluster.response-timeout=1h"), (contexts) -> {
					AtomicInteger completed = new AtomicInteger();
					for (int i = 0; i < 40; i++) {
						KlusterChatClient client = contexts.get(i % 3).getBean(KlusterChatClient.class);
						this.calls.add(client.chat("Hello").subscribe((text) -> completed.incrementAndGet()));
					}
					// Every request has its reservation: from now on only time lets more through.
					await().atMost(AWAIT).until(() -> this.paced.get() == 40);
					await().atMost(AWAIT).until(() -> this.standIn.requestCount() == 12);
					for (int step = 1; step <= 28; step++) {
						assertThat(this.standIn.requestCount()).isEqualTo(11 + step);
						time.advanceTimeBy(Duration.ofMillis(4999));
						assertThat(this.standIn.requestCount()).as("after %d s", 5 * step).isEqualTo(11 + step);
						time.advanceTimeBy(Duration.ofMillis(1));
						int expected = 12 + step;
						await().atMost(AWAIT).until(() -> this.standIn.requestCount() == expected);
					}
					await().atMost(AWAIT).until(() -> completed.get() == 40);
					assertThat(this.standIn.requestCount()).isEqualTo(40);
				});
	}

	@Test
	void twoInstancesShareTheBudgetAsOne() {
		VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
		withInstances(2, instance("kluster.rate-limit.requests-per-minute=12", "kluster.rate-limit.max-wait=10m",
				"kluster.rate-limit.store-timeout=1h", "kluster.response-timeout=1h"), (contexts) -> {
					AtomicInteger completed = new AtomicInteger();
					for (int i = 0; i < 40; i++) {
						KlusterChatClient client = contexts.get(i % 2).getBean(KlusterChatClient.class);
						this.calls.add(client.chat("Hello").subscribe((text) -> completed.incrementAndGet()));
					}
					await().atMost(AWAIT).until(() -> this.paced.get() == 40);
					await().atMost(AWAIT).until(() -> this.standIn.requestCount() == 12);
					time.advanceTimeBy(Duration.ofSeconds(60));
					await().atMost(AWAIT).until(() -> this.standIn.requestCount() == 24);
					time.advanceTimeBy(Duration.ofSeconds(80));
					await().atMost(AWAIT).until(() -> completed.get() == 40);
				});
	}

	@Test
	void aConcurrencyOfFiveSharedByThreeInstancesNeverHasMoreThanFiveInFlight() {
		this.standIn.chunkDelay(Duration.ofMillis(20));
		// A store call slowed by a busy machine must not fall back to counting per instance.
		withInstances(3, instance("kluster.max-concurrent-requests=5", "kluster.rate-limit.store-timeout=1m"),
				(contexts) -> {
			AtomicInteger completed = new AtomicInteger();
			for (int i = 0; i < 30; i++) {
				KlusterChatClient client = contexts.get(i % 3).getBean(KlusterChatClient.class);
				this.calls.add(client.stream("Tell me a story").then().subscribe(null, null, completed::incrementAndGet));
			}
			await().atMost(AWAIT).until(() -> completed.get() == 30);
			assertThat(this.standIn.requestCount()).isEqualTo(30);
			assertThat(this.standIn.maxInFlight()).isEqualTo(5);
			assertThat(contexts).allSatisfy((context) -> assertThat(context.getBean(KlusterConcurrencyLimit.class).inFlight())
				.isZero());
		});
	}

	@Test
	void theSlotsOfAnInstanceThatDiedComeBackWithinTheLeaseTime() {
		this.standIn.chunkDelay(Duration.ofMillis(200));
		ApplicationContextRunner runner = instance("kluster.max-concurrent-requests=5",
				"kluster.rate-limit.lease-time=1s", "kluster.rate-limit.store-timeout=1m");
		withInstances(2, runner, (contexts) -> {
			AssertableApplicationContext dying = contexts.get(0);
			for (int i = 0; i < 5; i++) {
				this.calls.add(dying.getBean(KlusterChatClient.class).stream("Tell me a long story").subscribe());
			}
			await().atMost(AWAIT).until(() -> this.standIn.inFlight() == 5);
			// The instance goes away without giving its slots back: its connection to Redis
			// is closed first, so that its requests, cancelled after, cannot release them.
			dying.close();
			this.calls.forEach(Disposable::dispose);
			KlusterChatClient survivor = contexts.get(1).getBean(KlusterChatClient.class);
			KlusterConcurrencyLimit limit = contexts.get(1).getBean(KlusterConcurrencyLimit.class);
			AtomicInteger completed = new AtomicInteger();
			this.standIn.chunkDelay(Duration.ZERO);
			this.calls.add(survivor.chat("Hello").subscribe((text) -> completed.incrementAndGet()));
			await().atMost(AWAIT).until(() -> limit.queued() == 1 || completed.get() == 1);
			assertThat(completed).as("a slot free before the leases expired").hasValue(0);
			await().atMost(Duration.ofSeconds(5)).until(() -> completed.get() == 1);
		});
	}

	@Test
	void whenRedisGoesAwayAnInstanceCountsAloneWithLocal() {
		withInstances(1, instance("kluster.rate-limit.requests-per-minute=600", "kluster.max-concurrent-requests=5",
				"kluster.rate-limit.store-timeout=1s", "kluster.rate-limit.on-store-failure=local"), (contexts) -> {
					KlusterChatClient client = contexts.get(0).getBean(KlusterChatClient.class);
					assertThat(client.chat("Hello").block(AWAIT)).isNotEmpty();
					assertThat(this.storeFailures).hasValue(0);
					this.redis.stop();
					assertThat(client.chat("Hello").block(AWAIT)).isNotEmpty();
					assertThat(Flux.range(0, 5).flatMap((i) -> client.chat("Hello")).collectList().block(AWAIT))
						.hasSize(5);
					assertThat(this.storeFailures.get()).isPositive();
				});
	}

	@Test
	void whenRedisGoesAwayCallsFailWithFail() {
		withInstances(1, instance("kluster.rate-limit.requests-per-minute=600", "kluster.max-concurrent-requests=5",
				"kluster.rate-limit.store-timeout=1s", "kluster.rate-limit.on-store-failure=fail"), (contexts) -> {
					KlusterChatClient client = contexts.get(0).getBean(KlusterChatClient.class);
					assertThat(client.chat("Hello").block(AWAIT)).isNotEmpty();
					this.redis.stop();
					int sent = this.standIn.requestCount();
					Throwable failure = org.assertj.core.api.Assertions
						.catchThrowable(() -> client.chat("Hello").block(AWAIT));
					assertThat(failure).isInstanceOf(KlusterRateLimitStoreException.class)
						.hasMessageContaining("kluster.rate-limit.on-store-failure");
					assertThat(this.standIn.requestCount()).isEqualTo(sent);
				});
	}

}
