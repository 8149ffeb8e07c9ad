package dev.kluster.boot.observation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import dev.kluster.boot.client.ChatDefaults;
import dev.kluster.boot.client.DefaultKlusterChatClient;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.client.MockKlusterServer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import dev.kluster.boot.autoconfigure.KlusterHealthIndicator;
import dev.kluster.boot.error.KlusterAuthenticationException;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterTimeouts;
import dev.kluster.boot.transport.KlusterRetry;

/**
 * Tests for {@link KlusterHealthIndicator} against a local server.
 */
class KlusterHealthIndicatorTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String MODELS = """
			{"object":"list","data":[{"id":"klusterai/Meta-Llama-3.1-8B-Instruct-Turbo","object":"model"},
			 {"id":"deepseek-ai/DeepSeek-V3-0324","object":"model"}]}""";

	@RegisterExtension
	final MockKlusterServer server = new MockKlusterServer();

	private KlusterChatClient client() {
		KlusterConnection connection = KlusterConnection.builder()
			.webClient(WebClient.create())
			.baseUrl(this.server.baseUrl())
			.build();
		return DefaultKlusterChatClient.builder(connection)
			.defaults(ChatDefaults.NONE)
			.timeouts(KlusterTimeouts.of(TIMEOUT))
			.retry(KlusterRetry.none())
			.build();
	}

	private MockResponse slowModels(long delayMillis) {
		return new MockResponse.Builder().code(200)
			.setHeader("Content-Type", "application/json")
			.body(MODELS)
			.headersDelay(delayMillis, TimeUnit.MILLISECONDS)
			.build();
	}

	@Test
	void upWithTheNumberOfModelsWhenTheModelListAnswers() {
		this.server.enqueueJson(200, MODELS);
		Health health = new KlusterHealthIndicator(client(), Duration.ofSeconds(30), TIMEOUT).health().block(TIMEOUT);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("models", 2L);
	}

	@Test
	void downWithTheErrorWhenKlusterRefusesTheKey() {
		this.server.enqueueJson(401, "{\"error\":{\"message\":\"Invalid API key\",\"type\":\"invalid_request_error\"}}");
		Health health = new KlusterHealthIndicator(client(), Duration.ofSeconds(30), TIMEOUT).health().block(TIMEOUT);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails().get("error").toString()).contains("KlusterAuthenticationException");
	}

	@Test
	void downWhenTheAnswerIsSlowerThanTheTimeout() {
		this.server.enqueue(slowModels(2000));
		withVirtualTime((time) -> {
			Mono<Health> health = new KlusterHealthIndicator(client(), Duration.ofSeconds(30), Duration.ofMillis(200))
				.health();
			StepVerifier.create(health)
				.then(() -> time.advanceTimeBy(Duration.ofMillis(200)))
				.assertNext((down) -> assertThat(down.getStatus()).isEqualTo(Status.DOWN))
				.expectComplete()
				.verify(TIMEOUT);
		});
	}

	@Test
	void hundredConcurrentProbesMakeOneCall() {
		this.server.enqueue(slowModels(300));
		KlusterHealthIndicator indicator = new KlusterHealthIndicator(client(), Duration.ofSeconds(30), TIMEOUT);
		List<Health> results = Flux.range(0, 100)
			.flatMap((probe) -> indicator.health(), 100)
			.collectList()
			.block(TIMEOUT);
		assertThat(results).hasSize(100).allSatisfy((health) -> assertThat(health.getStatus()).isEqualTo(Status.UP));
		List<Health> later = Flux.range(0, 100).flatMap((probe) -> indicator.health(), 100).collectList().block(TIMEOUT);
		assertThat(later).hasSize(100);
		assertThat(this.server.requestCount()).isEqualTo(1);
	}

	@Test
	void resultIsRefreshedOnceItsCachePeriodIsOver() {
		this.server.enqueueJson(200, MODELS);
		this.server.enqueueJson(503, "{\"error\":{\"message\":\"overloaded\"}}");
		withVirtualTime((time) -> {
			KlusterHealthIndicator indicator = new KlusterHealthIndicator(client(), Duration.ofMillis(200), TIMEOUT);
			assertThat(indicator.health().block(TIMEOUT).getStatus()).isEqualTo(Status.UP);
			time.advanceTimeBy(Duration.ofMillis(199));
			assertThat(indicator.health().block(TIMEOUT).getStatus()).isEqualTo(Status.UP);
			assertThat(this.server.requestCount()).isEqualTo(1);
			time.advanceTimeBy(Duration.ofMillis(1));
			assertThat(indicator.health().block(TIMEOUT).getStatus()).isEqualTo(Status.DOWN);
			assertThat(this.server.requestCount()).isEqualTo(2);
		});
	}

	/**
	 * Runs {@code test} while Reactor's schedulers, which the indicator's cache and
	 * timeout read the time from, run on a clock that only {@code test} moves.
	 */
	private static void withVirtualTime(Consumer<VirtualTimeScheduler> test) {
		VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
		try {
			test.accept(time);
		}
		finally {
			VirtualTimeScheduler.reset();
		}
	}

}
