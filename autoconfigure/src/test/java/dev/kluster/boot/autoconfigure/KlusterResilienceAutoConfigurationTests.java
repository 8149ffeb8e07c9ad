package dev.kluster.boot.autoconfigure;

import org.junit.jupiter.api.Test;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.client.KlusterConcurrencyLimit;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

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
				.hasStackTraceContaining("kluster.retry.*"));
	}

	@Test
	void invalidTimeoutFailsStartUp() {
		this.contextRunner.withPropertyValues("kluster.response-timeout=0s")
			.run((context) -> assertThat(context).hasFailed().getFailure().hasStackTraceContaining("timeout"));
	}

	@Test
	void connectTimeoutGivesTheClientAConnectorOfItsOwn() {
		this.contextRunner.withPropertyValues("kluster.connect-timeout=2s")
			.run((context) -> assertThat(context).hasSingleBean(KlusterChatClient.class));
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
