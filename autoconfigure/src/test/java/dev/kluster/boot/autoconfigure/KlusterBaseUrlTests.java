package dev.kluster.boot.autoconfigure;

import org.junit.jupiter.params.ParameterizedTest;
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
 * Tests of which plain http base URLs count as the loopback interface: IP literals of it
 * and the name {@code localhost}, never a name that DNS would have to resolve.
 */
class KlusterBaseUrlTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
				WebClientAutoConfiguration.class, KlusterAutoConfiguration.class))
		.withPropertyValues("kluster.api-key=sk-test");

	@ParameterizedTest
	@ValueSource(strings = { "http://localhost/v1", "http://LOCALHOST:8080/v1", "http://LocalHost/v1",
			"http://127.0.0.1/v1", "http://127.1.2.3:9/v1", "http://127.255.255.254/v1", "http://[::1]:9/v1",
			"http://[0:0:0:0:0:0:0:1]/v1" })
	void plainHttpToTheLoopbackInterfaceIsAccepted(String url) {
		assertThatNoException().isThrownBy(() -> KlusterBaseUrl.checkTransport(url, false));
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://api.localhost/v1", "http://foo.localhost:8080/v1", "http://API.LOCALHOST/v1",
			"http://localhost.evil.com/v1", "http://localhost.localdomain/v1", "http://evil.com/v1",
			"http://10.0.0.1/v1", "http://128.0.0.1/v1", "http://[::2]/v1", "http://0.0.0.0/v1" })
	void plainHttpToAnyOtherHostIsRefused(String url) {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> KlusterBaseUrl.checkTransport(url, false))
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
