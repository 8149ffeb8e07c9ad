package dev.kluster.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.client.MockKlusterServer;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.observation.DefaultKlusterChatObservationConvention;
import dev.kluster.boot.batch.KlusterBatchClient;
import dev.kluster.boot.observation.KlusterBatchMeterObservationHandler;
import dev.kluster.boot.observation.KlusterChatMeterObservationHandler;
import dev.kluster.boot.batch.DefaultKlusterBatchClient;
import dev.kluster.boot.client.ChatDefaults;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.observation.KlusterValidationRejections;
import dev.kluster.boot.observation.KlusterChatObservationConvention;
import dev.kluster.boot.observation.KlusterMeterFilter;
import dev.kluster.boot.validation.KlusterValidationException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@link KlusterObservationAutoConfiguration} and the observation wiring of
 * {@link KlusterAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class KlusterObservationAutoConfigurationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String COMPLETION = """
			{"id":"c1","object":"chat.completion","created":1733832777,"model":"klusterai/Meta-Llama-3.1-8B-Instruct-Turbo",
			 "choices":[{"index":0,"message":{"role":"assistant","content":"Paris"},"finish_reason":"stop"}],
			 "usage":{"prompt_tokens":9,"completion_tokens":1,"total_tokens":10}}""";

	@RegisterExtension
	final MockKlusterServer server = new MockKlusterServer();

	private final ApplicationContextRunner withoutMetrics = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
				WebClientAutoConfiguration.class, KlusterAutoConfiguration.class,
				KlusterObservationAutoConfiguration.class));

	private ApplicationContextRunner withMetrics() {
		return this.withoutMetrics
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
					WebClientObservationAutoConfiguration.class))
			.withPropertyValues("kluster.api-key=sk-test", "kluster.base-url=" + this.server.baseUrl());
	}

	@Test
	void autoConfigurationsAreRegisteredForImport() {
		List<String> candidates = new ArrayList<>();
		ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).forEach(candidates::add);
		assertThat(candidates).contains(KlusterObservationAutoConfiguration.class.getName(),
				KlusterHealthContributorAutoConfiguration.class.getName());
	}

	@Test
	void meterHandlerAndHistogramsAreConfiguredWithObservationsAndMetrics() {
		withMetrics().run((context) -> {
			assertThat(context).hasSingleBean(KlusterChatMeterObservationHandler.class);
			assertThat(context).hasSingleBean(KlusterMeterFilter.class);
			assertThat(context).hasSingleBean(KlusterBatchMeterObservationHandler.class);
			assertThat(context).hasSingleBean(KlusterValidationRejections.class);
		});
	}

	@Test
	void batchClientIsObserved() {
		withMetrics().run((context) -> {
			this.server.enqueueJson(200, "{\"object\":\"list\",\"data\":[],\"has_more\":false}");
			assertThat(context.getBean(KlusterBatchClient.class).list().collectList().block(Duration.ofSeconds(10)))
				.isEmpty();
			assertThat(context.getBean(MeterRegistry.class)
				.get("kluster.batch.client.operation.duration")
				.tag("kluster.batch.operation", "list")
				.timer()
				.count()).isEqualTo(1);
			// One error tag: error.type when a call fails, not Micrometer's error besides it.
			assertThat(context.getBean(MeterRegistry.class)
				.get("kluster.batch.client.operation.duration")
				.timer()
				.getId()
				.getTag("error")).isNull();
		});
	}

	@Test
	void batchClientOfTheApplicationOnTheAutoConfiguredConnectionIsObserved() {
		withMetrics().withUserConfiguration(OwnBatchClientConfiguration.class).run((context) -> {
			assertThat(context.getBean(KlusterBatchClient.class))
				.isSameAs(context.getBean(OwnBatchClientConfiguration.class).client);
			this.server.enqueueJson(200, "{\"object\":\"list\",\"data\":[],\"has_more\":false}");
			assertThat(context.getBean(KlusterBatchClient.class).list().collectList().block(TIMEOUT)).isEmpty();
			assertThat(context.getBean(MeterRegistry.class)
				.get("kluster.batch.client.operation.duration")
				.tag("kluster.batch.operation", "list")
				.timer()
				.count()).isEqualTo(1);
			assertThat(context.getBean(MeterRegistry.class)
				.get("http.client.requests")
				.timer()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void callsOfTheAutoConfiguredClientAreMeasured() {
		this.server.enqueueJson(200, COMPLETION);
		withMetrics().run((context) -> {
			context.getBean(KlusterChatClient.class).chat("Capital of France?").block(TIMEOUT);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("gen_ai.client.operation.duration").timer().count()).isEqualTo(1);
			assertThat(registry.get("gen_ai.client.token.usage").tag("gen_ai.token.type", "input").summary()
				.totalAmount()).isEqualTo(9);
			assertThat(registry.get("http.client.requests").timer().count()).isEqualTo(1);
		});
	}

	@Test
	void meterHandlerRecordsTheChatCallAndItsExchangeInPlaceOfMicrometersHandler() {
		this.server.enqueueJson(200, COMPLETION);
		List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
		withMetrics().withBean("stoppedContexts", ObservationHandler.class, () -> new ObservationHandler<>() {

			@Override
			public void onStop(Observation.Context context) {
				stopped.add(context);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		}).run((context) -> {
			context.getBean(KlusterChatClient.class).chat("Capital of France?").block(TIMEOUT);
			// Micrometer's DefaultMeterObservationHandler keeps a Timer.Sample in the
			// contexts it handles.
			assertThat(stopped).extracting(Observation.Context::getName)
				.containsExactlyInAnyOrder("http.client.requests", "gen_ai.client.operation.duration");
			assertThat(stopped).allSatisfy((observed) -> assertThat((Object) observed.get(Timer.Sample.class)).isNull());
		});
	}

	@Test
	void longTaskTimersLeftOutOfObservationsAreLeftOutOfChatCalls() {
		this.server.enqueueJson(200, COMPLETION);
		withMetrics().withPropertyValues("management.metrics.observations.ignored-meters=long-task-timer")
			.run((context) -> {
				context.getBean(KlusterChatClient.class).chat("Capital of France?").block(TIMEOUT);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("gen_ai.client.operation.duration").timer().count()).isEqualTo(1);
				assertThat(registry.find("gen_ai.client.operation.duration.active").meters()).isEmpty();
				assertThat(registry.find("http.client.requests.active").meters()).isEmpty();
			});
	}

	@Test
	void validationRejectionsAreTaggedByTheConfiguredLists() {
		withMetrics().withPropertyValues("kluster.validation.unsupported-request-parameters=seed").run((context) -> {
			ChatCompletionRequest request = ChatCompletionRequest.builder()
				.message(ChatMessage.user("Hi"))
				.seed(7L)
				.build();
			Throwable failure = catchThrowable(
					() -> context.getBean(KlusterChatClient.class).chat(request).block(TIMEOUT));
			assertThat(failure).isInstanceOf(KlusterValidationException.class);
			assertThat(context.getBean(MeterRegistry.class)
				.get("kluster.client.validation.rejections")
				.tag("parameter", "seed")
				.counter()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void withoutMeterRegistryNoMeterIsConfiguredAndCallsWork() {
		this.server.enqueueJson(200, COMPLETION);
		this.withoutMetrics.withPropertyValues("kluster.api-key=sk-test", "kluster.base-url=" + this.server.baseUrl())
			.run((context) -> {
				assertThat(context).doesNotHaveBean(ObservationRegistry.class);
				assertThat(context).doesNotHaveBean(KlusterChatMeterObservationHandler.class);
				assertThat(context).doesNotHaveBean(KlusterMeterFilter.class);
				assertThat(context.getBean(KlusterChatClient.class).chat("Hi").block(TIMEOUT)).isEqualTo("Paris");
			});
	}

	@Test
	void withoutMicrometerCoreOnTheClasspathTheAutoConfigurationBacksOff() {
		this.withoutMetrics.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.withPropertyValues("kluster.api-key=sk-test")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(KlusterChatClient.class);
				assertThat(context).doesNotHaveBean(KlusterObservationAutoConfiguration.class);
			});
	}

	@Test
	void withoutObservationRegistryTheMeterHandlerIsNotConfigured() {
		this.withoutMetrics.withPropertyValues("kluster.api-key=sk-test")
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(KlusterChatMeterObservationHandler.class);
				assertThat(context).hasSingleBean(KlusterMeterFilter.class);
			});
	}

	@Test
	void histogramsCanBeTurnedOff() {
		withMetrics().withPropertyValues("kluster.observations.histograms=false").run((context) -> {
			Timer timer = Timer.builder("gen_ai.client.operation.duration").register(context.getBean(MeterRegistry.class));
			timer.record(Duration.ofMillis(30));
			assertThat(timer.takeSnapshot().histogramCounts()).isEmpty();
		});
	}

	@Test
	void histogramsAreOnByDefault() {
		withMetrics().run((context) -> {
			Timer timer = Timer.builder("gen_ai.client.operation.duration").register(context.getBean(MeterRegistry.class));
			timer.record(Duration.ofMillis(30));
			assertThat(timer.takeSnapshot().histogramCounts()).hasSize(14);
		});
	}

	@Test
	void whenKlusterIsDisabledNothingIsConfigured() {
		withMetrics().withPropertyValues("kluster.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(KlusterChatMeterObservationHandler.class);
			assertThat(context).doesNotHaveBean(KlusterMeterFilter.class);
		});
	}

	@Test
	void userDefinedMeterHandlerWins() {
		KlusterChatMeterObservationHandler custom = new KlusterChatMeterObservationHandler(new SimpleMeterRegistry());
		withMetrics().withBean(KlusterChatMeterObservationHandler.class, () -> custom)
			.run((context) -> assertThat(context.getBean(KlusterChatMeterObservationHandler.class)).isSameAs(custom));
	}

	@Test
	void userDefinedConventionReplacesTheDefaultOne() {
		this.server.enqueueJson(200, COMPLETION);
		KlusterChatObservationConvention custom = new DefaultKlusterChatObservationConvention() {

			@Override
			public String getName() {
				return "my.llm.calls";
			}

		};
		withMetrics().withBean(KlusterChatObservationConvention.class, () -> custom).run((context) -> {
			context.getBean(KlusterChatClient.class).chat("Hi").block(TIMEOUT);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("my.llm.calls").timer().count()).isEqualTo(1);
			assertThat(registry.find("gen_ai.client.operation.duration").timer()).isNull();
		});
	}

	@Test
	void observationsCanBeTurnedOffByName() {
		this.server.enqueueJson(200, COMPLETION);
		withMetrics().withPropertyValues("management.observations.enable.gen_ai=false").run((context) -> {
			assertThat(context.getBean(KlusterChatClient.class).chat("Hi").block(TIMEOUT)).isEqualTo("Paris");
			assertThat(context.getBean(MeterRegistry.class).find("gen_ai.client.operation.duration").timer()).isNull();
		});
	}

	@Test
	void contentIsOffByDefaultAndWarnedAboutWhenTurnedOn(CapturedOutput output) {
		withMetrics().run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain("kluster.observations.include-content");
		withMetrics().withPropertyValues("kluster.observations.include-content=true")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("WARN")
			.contains("kluster.observations.include-content is on")
			.contains("personal or confidential data");
	}

	@Test
	void negativeModelTagLimitFailsStartUp() {
		withMetrics().withPropertyValues("kluster.observations.max-model-tags=-1")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("kluster.observations.max-model-tags"));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBatchClientConfiguration {

		private @Nullable KlusterBatchClient client;

		@Bean
		KlusterBatchClient ownBatchClient(KlusterConnection connection) {
			this.client = DefaultKlusterBatchClient.builder(connection).defaults(ChatDefaults.model("my-model")).build();
			return this.client;
		}

	}

}
