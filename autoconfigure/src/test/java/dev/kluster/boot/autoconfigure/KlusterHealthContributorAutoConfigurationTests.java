package dev.kluster.boot.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.kluster.boot.client.MockKlusterServer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KlusterHealthContributorAutoConfiguration}.
 */
class KlusterHealthContributorAutoConfigurationTests {

	@RegisterExtension
	final MockKlusterServer server = new MockKlusterServer();

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
					WebClientAutoConfiguration.class, KlusterAutoConfiguration.class,
					KlusterHealthContributorAutoConfiguration.class, HealthContributorAutoConfiguration.class,
					HealthContributorRegistryAutoConfiguration.class))
			.withPropertyValues("kluster.api-key=sk-test", "kluster.base-url=" + this.server.baseUrl());
	}

	@Test
	void indicatorIsOptIn() {
		contextRunner().run((context) -> assertThat(context).doesNotHaveBean(KlusterHealthIndicator.class));
	}

	@Test
	void enabledIndicatorIsTheKlusterComponentAndProbesTheModelList() {
		this.server.enqueueJson(200, "{\"object\":\"list\",\"data\":[{\"id\":\"m1\",\"object\":\"model\"}]}");
		contextRunner().withPropertyValues("kluster.health.enabled=true", "kluster.health.cache-ttl=1m")
			.run((context) -> {
				assertThat(context).hasSingleBean(KlusterHealthIndicator.class);
				ReactiveHealthIndicator kluster = (ReactiveHealthIndicator) context
					.getBean(ReactiveHealthContributorRegistry.class)
					.getContributor("kluster");
				assertThat(kluster).isSameAs(context.getBean(KlusterHealthIndicator.class));
				Health health = kluster.health().block(Duration.ofSeconds(10));
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				kluster.health().block(Duration.ofSeconds(10));
			});
		assertThat(this.server.requestCount()).isEqualTo(1);
	}

	@Test
	void bootsHealthSwitchesStillTurnItOff() {
		contextRunner().withPropertyValues("kluster.health.enabled=true", "management.health.kluster.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(KlusterHealthIndicator.class));
		contextRunner().withPropertyValues("kluster.health.enabled=true", "management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(KlusterHealthIndicator.class));
	}

	@Test
	void withoutTheClientThereIsNoIndicator() {
		contextRunner().withPropertyValues("kluster.health.enabled=true", "kluster.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(KlusterHealthIndicator.class));
	}

	@Test
	void withoutBootsHealthModuleTheAutoConfigurationBacksOff() {
		contextRunner().withPropertyValues("kluster.health.enabled=true")
			.withClassLoader(new FilteredClassLoader(ReactiveHealthIndicator.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(KlusterHealthIndicator.class);
			});
	}

	@Test
	void userDefinedIndicatorWins() {
		ReactiveHealthIndicator custom = () -> reactor.core.publisher.Mono.just(Health.up().build());
		contextRunner().withPropertyValues("kluster.health.enabled=true")
			.withBean("klusterHealthIndicator", ReactiveHealthIndicator.class, () -> custom)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(KlusterHealthIndicator.class);
				assertThat(context.getBean("klusterHealthIndicator")).isSameAs(custom);
			});
	}

}
