package dev.kluster.boot.test;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AutoConfigureKlusterStandIn} when the test configures an API key.
 */
@SpringBootTest(classes = AutoConfigureKlusterStandInWithApiKeyTests.EmptyConfiguration.class,
		webEnvironment = WebEnvironment.NONE, properties = "kluster.api-key=my-own-key")
@AutoConfigureKlusterStandIn
class AutoConfigureKlusterStandInWithApiKeyTests {

	@Autowired
	private Environment environment;

	@Autowired
	private KlusterStandIn standIn;

	@Test
	void keepsTheConfiguredApiKey() {
		assertThat(this.environment.getProperty("kluster.api-key")).isEqualTo("my-own-key");
		assertThat(this.environment.getProperty("kluster.base-url")).isEqualTo(this.standIn.baseUrl());
	}

	@Nested
	class InANestedClass {

		@Autowired
		private KlusterStandIn nestedStandIn;

		@Test
		void sharesTheStandInOfTheEnclosingClass() {
			assertThat(this.nestedStandIn).isSameAs(AutoConfigureKlusterStandInWithApiKeyTests.this.standIn);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EmptyConfiguration {

	}

}
