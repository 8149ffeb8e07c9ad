package dev.kluster.boot.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.client.MockKlusterServer;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import dev.kluster.boot.error.KlusterRateLimitException;

/**
 * The meter names and tag keys that docs/observability.md documents and dashboards
 * depend on, read from the registries Boot configures after real calls. A change of any
 * name or key fails here; update the documentation with it.
 */
class KlusterMeterNamesTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String MODEL = "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo";

	private static final String COMPLETION = """
			{"id":"c1","object":"chat.completion","created":1733832777,"model":"%s",
			 "choices":[{"index":0,"message":{"role":"assistant","content":"Paris"},"finish_reason":"stop"}],
			 "usage":{"prompt_tokens":9,"completion_tokens":1,"total_tokens":10}}""".formatted(MODEL);

	private static final String CHUNK = "{\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
			+ MODEL + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Par\"}}]}";

	private static final String LAST_CHUNK = "{\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
			+ MODEL + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"is\"},\"finish_reason\":\"stop\"}],"
			+ "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}";

	private static final Set<String> COMMON = Set.of("gen_ai.operation.name", "gen_ai.provider.name",
			"gen_ai.request.model", "gen_ai.response.model", "server.address", "server.port");

	private static final Set<String> START = Set.of("gen_ai.operation.name", "gen_ai.provider.name",
			"gen_ai.request.model", "server.address", "server.port");

	@RegisterExtension
	final MockKlusterServer server = new MockKlusterServer();

	private ApplicationContextRunner contextRunner(Class<?> export) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
					WebClientAutoConfiguration.class, WebClientObservationAutoConfiguration.class,
					ObservationAutoConfiguration.class, MetricsAutoConfiguration.class, export,
					CompositeMeterRegistryAutoConfiguration.class, KlusterAutoConfiguration.class,
					KlusterObservationAutoConfiguration.class))
			.withPropertyValues("kluster.api-key=sk-test", "kluster.base-url=" + this.server.baseUrl(),
					// The meters of a failed call are under test here, not the retry of a 429.
					"kluster.retry.enabled=false");
	}

	private void oneCompletionAndOneStream(AssertableApplicationContext context) {
		this.server.enqueueJson(200, COMPLETION);
		this.server.enqueueStream(MockKlusterServer.sse(CHUNK, LAST_CHUNK, "[DONE]"), 64);
		KlusterChatClient client = context.getBean(KlusterChatClient.class);
		client.chat("Capital of France?").block(TIMEOUT);
		client.stream("Capital of France?").blockLast(TIMEOUT);
	}

	private void oneFailureOneRejectionAndOneCancel(AssertableApplicationContext context) {
		this.server.enqueueJson(429, "{\"error\":{\"message\":\"Slow down\"}}");
		this.server.enqueueStream(MockKlusterServer.sse(CHUNK, CHUNK, CHUNK, LAST_CHUNK, "[DONE]"), 8);
		KlusterChatClient client = context.getBean(KlusterChatClient.class);
		catchThrowable(() -> client.chat("Capital of France?").block(TIMEOUT));
		catchThrowable(() -> client
			.chat(ChatCompletionRequest.builder().message(ChatMessage.user("Hi")).n(2).build())
			.block(TIMEOUT));
		client.stream("Capital of France?").take(1).blockLast(TIMEOUT);
	}

	@Test
	void metersAfterOneCompletionAndOneStream() {
		contextRunner(SimpleMetricsExportAutoConfiguration.class).run((context) -> {
			oneCompletionAndOneStream(context);
			// The simple registry, which backs /actuator/metrics when no other is configured,
			// publishes the histogram buckets as .histogram gauges.
			assertThat(meters(context.getBean(MeterRegistry.class))).containsExactlyInAnyOrderEntriesOf(Map.of(
					"gen_ai.client.operation.duration TIMER", COMMON,
					"gen_ai.client.operation.duration.histogram GAUGE", with(COMMON, "le"),
					"gen_ai.client.operation.duration.active LONG_TASK_TIMER", START,
					"gen_ai.client.token.usage DISTRIBUTION_SUMMARY", with(COMMON, "gen_ai.token.type"),
					"gen_ai.client.token.usage.histogram GAUGE", with(COMMON, "gen_ai.token.type", "le"),
					"gen_ai.client.operation.time_to_first_chunk TIMER", COMMON,
					"gen_ai.client.operation.time_to_first_chunk.histogram GAUGE", with(COMMON, "le")));
		});
	}

	@Test
	void metersAfterAFailureARejectionAndACancel() {
		contextRunner(SimpleMetricsExportAutoConfiguration.class).run((context) -> {
			oneFailureOneRejectionAndOneCancel(context);
			Map<String, Set<String>> meters = meters(context.getBean(MeterRegistry.class));
			// One error tag: the conventions' error.type, not Micrometer's error besides it.
			assertThat(meters).containsEntry("gen_ai.client.operation.duration TIMER", with(COMMON, "error.type"));
			// The rejection never reached kluster.ai: counted, not timed as an operation.
			assertThat(context.getBean(MeterRegistry.class)
				.find("gen_ai.client.operation.duration")
				.tag("error.type", "dev.kluster.boot.validation.KlusterValidationException")
				.timers()).isEmpty();
			assertThat(meters).containsEntry("kluster.client.validation.rejections COUNTER", Set.of("parameter"));
			// Counted when the cancel happens, with the tags known at the start of the call.
			assertThat(meters).containsEntry("gen_ai.client.operation.duration.cancelled COUNTER", START);
		});
	}

	@Test
	void rateLimitMetersAfterAPassedAndARefusedCall() {
		contextRunner(PrometheusMetricsExportAutoConfiguration.class)
			.withPropertyValues("kluster.rate-limit.requests-per-minute=1", "kluster.rate-limit.max-wait=0s",
					"kluster.max-concurrent-requests=2")
			.run((context) -> {
				this.server.enqueueJson(200, COMPLETION);
				KlusterChatClient client = context.getBean(KlusterChatClient.class);
				client.chat("Capital of France?").block(TIMEOUT);
				assertThat(catchThrowable(() -> client.chat("Capital of Italy?").block(TIMEOUT)))
					.isInstanceOf(dev.kluster.boot.error.KlusterRateLimitWaitException.class);
				assertThat(meters(context.getBean(MeterRegistry.class))).containsEntry("kluster.rate-limit.wait TIMER",
						Set.of("budget"))
					.containsEntry("kluster.rate-limit.refused COUNTER", Set.of("budget"))
					.containsEntry("kluster.rate-limit.slots.held GAUGE", Set.of());
				PrometheusMeterRegistry prometheus = context.getBean(PrometheusMeterRegistry.class);
				assertThat(prometheus.scrape()).contains("kluster_rate_limit_wait_seconds_count{budget=\"requests\"} 1",
						"kluster_rate_limit_wait_seconds_sum{budget=\"requests\"}",
						"kluster_rate_limit_wait_seconds_max{budget=\"requests\"}",
						"kluster_rate_limit_refused_total{budget=\"requests\"} 1.0");
				// The first call's slot goes back when its exchange lets the connection go,
				// which may be a moment after the caller has the answer.
				await().atMost(TIMEOUT)
					.untilAsserted(() -> assertThat(prometheus.scrape()).contains("kluster_rate_limit_slots_held 0.0"));
			});
	}

	@Test
	void prometheusNamesAfterOneCompletionAndOneStream() {
		contextRunner(PrometheusMetricsExportAutoConfiguration.class).run((context) -> {
			oneCompletionAndOneStream(context);
			oneFailureOneRejectionAndOneCancel(context);
			String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
			assertThat(scrape).contains("# TYPE gen_ai_client_operation_duration_seconds histogram",
					"gen_ai_client_operation_duration_seconds_bucket{gen_ai_operation_name=\"chat\","
							+ "gen_ai_provider_name=\"kluster\",gen_ai_request_model=\"" + MODEL
							+ "\",gen_ai_response_model=\"" + MODEL + "\",server_address=\"127.0.0.1\",",
					"gen_ai_client_operation_duration_seconds_bucket{error_type=\"dev.kluster.boot.error.KlusterRateLimitException\"",
					"le=\"0.01\"", "le=\"81.92\"", "gen_ai_client_operation_duration_seconds_count{",
					"gen_ai_client_operation_duration_seconds_sum{", "gen_ai_client_operation_duration_seconds_max{",
					"gen_ai_client_operation_duration_active_seconds_count{",
					"gen_ai_client_operation_duration_active_seconds_max{",
					"gen_ai_client_operation_duration_cancelled_total{", "# TYPE gen_ai_client_token_usage histogram",
					"gen_ai_client_token_usage_bucket{", "gen_ai_token_type=\"input\"", "gen_ai_token_type=\"output\"",
					"le=\"6.7108864E7\"", "gen_ai_client_token_usage_count{", "gen_ai_client_token_usage_sum{",
					"gen_ai_client_operation_time_to_first_chunk_seconds_bucket{",
					"kluster_client_validation_rejections_total{parameter=\"n\"} 1.0");
			assertThat(scrape).doesNotContain("{error=\"none\",gen_ai", "error=\"KlusterRateLimitException\"",
					"time_per_output_chunk", "gen_ai_response_id", "gen_ai_request_temperature", "{token}", "gen_ai_client_token_usage__token");
		});
	}

	private static Map<String, Set<String>> meters(MeterRegistry registry) {
		Map<String, Set<String>> meters = new TreeMap<>();
		for (Meter meter : registry.getMeters()) {
			String name = meter.getId().getName();
			if (name.startsWith("gen_ai.") || name.startsWith("kluster.")) {
				Set<String> keys = meters.computeIfAbsent(name + " " + meter.getId().getType(),
						(key) -> new TreeSet<>());
				for (Tag tag : meter.getId().getTags()) {
					keys.add(tag.getKey());
				}
			}
		}
		return meters;
	}

	private static Set<String> with(Set<String> keys, String... more) {
		Set<String> all = new TreeSet<>(keys);
		all.addAll(Set.of(more));
		return all;
	}

}
