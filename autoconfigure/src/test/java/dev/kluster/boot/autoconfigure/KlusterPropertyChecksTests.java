package dev.kluster.boot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests of {@link KlusterPropertyChecks}: each checked property fails start-up with an
 * {@link InvalidConfigurationPropertyValueException} that names it; and which plain http
 * base URLs count as the loopback interface: IP literals of it and the name
 * {@code localhost}, never a name that DNS would have to resolve.
 */
class KlusterPropertyChecksTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
				WebClientAutoConfiguration.class, KlusterAutoConfiguration.class))
		.withPropertyValues("kluster.api-key=sk-test");

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			kluster.max-response-size               | 0
			kluster.max-response-size               | 3GB
			kluster.max-concurrent-requests         | 0
			kluster.max-queue-wait                  | -1s
			kluster.observations.max-model-tags     | -1
			kluster.response-timeout                | 0s
			kluster.stream-idle-timeout             | -1s
			kluster.total-timeout                   | 0s
			kluster.retry.max-attempts              | 0
			kluster.retry.initial-backoff           | -1ms
			kluster.retry.initial-backoff           | 1m
			kluster.retry.max-backoff               | -1s
			kluster.retry.jitter                    | 1.5
			kluster.retry.jitter                    | -0.1
			kluster.batch.poll-interval             | 0s
			kluster.batch.max-poll-interval         | 1s
			kluster.batch.poll-backoff-multiplier   | 0.5
			kluster.batch.max-poll-retries          | -1
			kluster.batch.max-file-size             | 200MB
			kluster.batch.max-file-size             | 0
			kluster.batch.max-result-line-size      | 0
			kluster.batch.max-result-line-size      | 3GB
			kluster.batch.request-timeout           | 0s
			kluster.base-url                        | https://api.kluster.ai
			""")
	void invalidValueFailsStartUpNamingTheProperty(String property, String value) {
		// With a concurrency limit, so that its queue wait is checked too; the property
		// under test comes second and wins.
		this.contextRunner.withPropertyValues("kluster.max-concurrent-requests=4", property + "=" + value)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
						(ex) -> assertThat(ex.getName()).isEqualTo(property)));
	}

	@Test
	void retrySettingsAreNotCheckedWhenRetriesAreOff() {
		this.contextRunner.withPropertyValues("kluster.retry.enabled=false", "kluster.retry.max-attempts=0")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void theDefaultsPassEveryCheck() {
		this.contextRunner.withPropertyValues("kluster.max-concurrent-requests=4")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://localhost/v1", "http://LOCALHOST:8080/v1", "http://LocalHost/v1",
			"http://127.0.0.1/v1", "http://127.1.2.3:9/v1", "http://127.255.255.254/v1", "http://[::1]:9/v1",
			"http://[0:0:0:0:0:0:0:1]/v1" })
	void plainHttpToTheLoopbackInterfaceIsAccepted(String url) {
		assertThatNoException().isThrownBy(() -> KlusterPropertyChecks.checkTransport(url, false));
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://api.localhost/v1", "http://foo.localhost:8080/v1", "http://API.LOCALHOST/v1",
			"http://localhost.evil.com/v1", "http://localhost.localdomain/v1", "http://evil.com/v1",
			"http://10.0.0.1/v1", "http://128.0.0.1/v1", "http://[::2]/v1", "http://0.0.0.0/v1" })
	void plainHttpToAnyOtherHostIsRefused(String url) {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> KlusterPropertyChecks.checkTransport(url, false))
			.withMessageContaining("kluster.allow-insecure-base-url");
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://api.localhost/v1", "http://localhost.evil.com/v1" })
	void applicationWithAPlainHttpBaseUrlThatOnlyLooksLikeLoopbackFailsToStart(String url) {
		this.contextRunner.withPropertyValues("kluster.base-url=" + url)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("kluster.allow-insecure-base-url"));
	}

}
