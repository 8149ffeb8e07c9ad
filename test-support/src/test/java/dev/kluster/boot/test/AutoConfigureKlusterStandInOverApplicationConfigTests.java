package dev.kluster.boot.test;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AutoConfigureKlusterStandIn} when the application's own configuration
 * file sets an API key: the test's key wins, so that a test asserting on
 * {@code Bearer test-key} passes whatever the application or the machine configures.
 */
@SpringBootTest(classes = AutoConfigureKlusterStandInOverApplicationConfigTests.EmptyConfiguration.class,
		webEnvironment = WebEnvironment.NONE, properties = "spring.config.name=stand-in-application")
@AutoConfigureKlusterStandIn
class AutoConfigureKlusterStandInOverApplicationConfigTests {

	@Autowired
	private Environment environment;

	@Test
	void theTestKeyOverridesTheKeyOfTheApplicationsConfigurationFile() {
		assertThat(this.environment.getProperty("spring.config.name")).isEqualTo("stand-in-application");
		assertThat(this.environment.getProperty("kluster.api-key")).isEqualTo("test-key");
	}

	@Configuration(proxyBeanMethods = false)
	static class EmptyConfiguration {

	}

}
