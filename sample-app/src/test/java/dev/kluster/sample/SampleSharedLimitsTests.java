package dev.kluster.sample;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the sample with the {@code shared-limits} profile against one real
 * {@code redis-server}, as docs/sample.md runs them: a question asked on one instance
 * uses the budget both show, and once it is used up the next question waits, which the
 * instance that asked it shows. Skipped where {@code redis-server} is not installed.
 */
class SampleSharedLimitsTests {

	private static final String MODEL = "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo";

	// A hang guard, not a speed requirement.
	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static LocalRedis redis;

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	@BeforeAll
	static void twoInstancesOnOneRedis() {
		redis = LocalRedis.start();
		first = start();
		second = start();
	}

	// Two requests a minute: one every 30 s, so that no request comes back into the budget
	// while the test runs, and a third waits.
	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(SampleApplication.class).profiles("shared-limits")
			.run("--server.port=0", "--spring.data.redis.host=127.0.0.1",
					"--spring.data.redis.port=" + redis.port(), "--sample.stand-in.chunk-delay=0ms",
					"--kluster.rate-limit.models[" + MODEL + "].requests-per-minute=2",
					"--kluster.rate-limit.max-wait=120s");
	}

	// The instances are closed by their shutdown hooks when the tests' JVM ends, as the
	// cached contexts of the other tests are: closing a context here would dispose Reactor
	// Netty's global resources, which the stand-ins of those contexts still run on.
	@AfterAll
	static void stopRedis() {
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void bothPagesShowOneBudgetAndTheWaitOfTheInstanceThatWaits() {
		JsonNode before = budget(first);
		assertThat(before.path("paced").asBoolean()).isTrue();
		assertThat(before.path("store").asString()).isEqualTo("redis");
		assertThat(before.path("limits").path("requestsPerMinute").asLong()).isEqualTo(2);
		assertThat(left(first)).isEqualTo(2);

		chat(first);
		assertThat(left(second)).isEqualTo(1);
		chat(second);
		assertThat(left(first)).isZero();

		// The budget is used: the next question waits for it, on the instance it was asked of.
		Disposable waiting = web(first).post()
			.uri("/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"prompt\":\"wait for the budget\"}")
			.retrieve()
			.bodyToMono(String.class)
			.subscribe();
		try {
			await().atMost(TIMEOUT).untilAsserted(() -> {
				JsonNode waits = budget(first).path("requestWaits");
				assertThat(waits.path("maxMillis").asLong()).isGreaterThan(1000);
				assertThat(waits.path("totalMillis").asLong()).isGreaterThan(1000);
			});
			assertThat(left(second)).isNegative();
			assertThat(budget(second).path("requestWaits").path("totalMillis").asLong()).isZero();
		}
		finally {
			waiting.dispose();
		}
	}

	private static void chat(ConfigurableApplicationContext instance) {
		client(instance).post()
			.uri("/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"prompt\":\"use the budget\"}")
			.exchange()
			.expectStatus()
			.isOk();
	}

	private static long left(ConfigurableApplicationContext instance) {
		return budget(instance).path("left").path("requests").asLong();
	}

	private static JsonNode budget(ConfigurableApplicationContext instance) {
		byte[] body = client(instance).get()
			.uri("/rate-limit")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return JsonMapper.shared().readTree(body);
	}

	private static WebTestClient client(ConfigurableApplicationContext instance) {
		return WebTestClient.bindToServer().baseUrl(baseUrl(instance)).responseTimeout(TIMEOUT).build();
	}

	private static WebClient web(ConfigurableApplicationContext instance) {
		return WebClient.create(baseUrl(instance));
	}

	private static String baseUrl(ConfigurableApplicationContext instance) {
		return "http://127.0.0.1:" + instance.getEnvironment().getProperty("local.server.port");
	}

}
