package dev.kluster.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.transport.KlusterConcurrencyLimit;
import dev.kluster.boot.test.KlusterStandIn;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the resilience and key protection parts of {@link KlusterAutoConfiguration}
 * and {@link KlusterSanitizingAutoConfiguration}.
 */
class KlusterResilienceAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
				WebClientAutoConfiguration.class, KlusterAutoConfiguration.class,
				KlusterSanitizingAutoConfiguration.class))
		.withPropertyValues("kluster.api-key=sk-resilience-secret");

	@Test
	void noConcurrencyLimitUnlessConfigured() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(KlusterChatClient.class);
			assertThat(context).doesNotHaveBean(KlusterConcurrencyLimit.class);
		});
	}

	@Test
	void concurrencyLimitFromProperties() {
		this.contextRunner.withPropertyValues("kluster.max-concurrent-requests=20", "kluster.max-queue-wait=5s")
			.run((context) -> {
				assertThat(context).hasSingleBean(KlusterConcurrencyLimit.class);
				KlusterConcurrencyLimit limit = context.getBean(KlusterConcurrencyLimit.class);
				assertThat(limit.maxConcurrentRequests()).isEqualTo(20);
				assertThat(limit.inFlight()).isZero();
			});
	}

	@Test
	void concurrencyLimitBelowOneFailsStartUp() {
		this.contextRunner.withPropertyValues("kluster.max-concurrent-requests=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("kluster.max-concurrent-requests"));
	}

	@Test
	void invalidRetrySettingsFailStartUp() {
		this.contextRunner.withPropertyValues("kluster.retry.max-attempts=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
						(ex) -> assertThat(ex.getName()).isEqualTo("kluster.retry.max-attempts")));
	}

	@ParameterizedTest
	@ValueSource(strings = { "kluster.response-timeout", "kluster.stream-idle-timeout", "kluster.total-timeout" })
	void invalidTimeoutFailsStartUpNamingTheProperty(String property) {
		this.contextRunner.withPropertyValues(property + "=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
					assertThat(ex.getName()).isEqualTo(property);
					assertThat(ex.getValue()).isEqualTo(Duration.ZERO);
					assertThat(ex.getReason()).isEqualTo("it must be positive");
				}));
	}

	@Test
	void connectTimeoutGivesTheClientAConnectorOfItsOwn() {
		try (KlusterStandIn standIn = KlusterStandIn.start()) {
			AtomicInteger applicationConnectorCalls = new AtomicInteger();
			AtomicInteger ownConnectorCalls = new AtomicInteger();
			List<HttpClientSettings> settingsBuiltWith = new CopyOnWriteArrayList<>();
			ClientHttpConnector applicationConnector = counting(new ReactorClientHttpConnector(),
					applicationConnectorCalls);
			ClientHttpConnectorBuilder<ClientHttpConnector> connectorBuilder = (settings) -> {
				settingsBuiltWith.add(settings);
				return counting(ClientHttpConnectorBuilder.reactor().build(settings), ownConnectorCalls);
			};
			this.contextRunner
				.withPropertyValues("kluster.base-url=" + standIn.baseUrl(), "kluster.connect-timeout=2s")
				.withBean(ClientHttpConnector.class, () -> applicationConnector)
				.withBean(ClientHttpConnectorBuilder.class, () -> connectorBuilder)
				.run((context) -> {
					StepVerifier.create(context.getBean(KlusterChatClient.class).models().count())
						.expectNext((long) KlusterStandIn.DEFAULT_MODELS.size())
						.expectComplete()
						.verify(Duration.ofSeconds(10));
					assertThat(settingsBuiltWith).singleElement()
						.extracting(HttpClientSettings::connectTimeout)
						.isEqualTo(Duration.ofSeconds(2));
					assertThat(ownConnectorCalls).hasValue(1);
					assertThat(applicationConnectorCalls).hasValue(0);
				});
		}
	}

	@Test
	void withoutConnectTimeoutTheClientUsesTheApplicationsConnector() {
		try (KlusterStandIn standIn = KlusterStandIn.start()) {
			AtomicInteger applicationConnectorCalls = new AtomicInteger();
			this.contextRunner.withPropertyValues("kluster.base-url=" + standIn.baseUrl())
				.withBean(ClientHttpConnector.class,
						() -> counting(new ReactorClientHttpConnector(), applicationConnectorCalls))
				.run((context) -> {
					StepVerifier.create(context.getBean(KlusterChatClient.class).models().count())
						.expectNext((long) KlusterStandIn.DEFAULT_MODELS.size())
						.expectComplete()
						.verify(Duration.ofSeconds(10));
					assertThat(applicationConnectorCalls).hasValue(1);
				});
		}
	}

	private static ClientHttpConnector counting(ClientHttpConnector delegate, AtomicInteger calls) {
		return (method, uri, requestCallback) -> {
			calls.incrementAndGet();
			return delegate.connect(method, uri, requestCallback);
		};
	}

	@Test
	void keySanitizingIsContributedEvenWhenTheClientIsDisabled() {
		this.contextRunner.withPropertyValues("kluster.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(KlusterChatClient.class);
			SanitizingFunction function = context.getBean(SanitizingFunction.class);
			assertThat(function.apply(new SanitizableData(null, "kluster.api-key", "sk-resilience-secret")).getValue())
				.isEqualTo(SanitizableData.SANITIZED_VALUE);
			assertThat(function.apply(new SanitizableData(null, "KLUSTER_API_KEY", "other")).getValue())
				.isEqualTo(SanitizableData.SANITIZED_VALUE);
			assertThat(function.apply(new SanitizableData(null, "copy", "sk-resilience-secret")).getValue())
				.isEqualTo(SanitizableData.SANITIZED_VALUE);
			assertThat(function.apply(new SanitizableData(null, "kluster.base-url", "https://x/v1")).getValue())
				.isEqualTo("https://x/v1");
		});
	}

	@Test
	void noKeySanitizingWithoutTheActuator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(SanitizingFunction.class))
			.run((context) -> assertThat(context).doesNotHaveBean("klusterApiKeySanitizingFunction"));
	}

}
