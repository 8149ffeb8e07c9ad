package dev.kluster.boot.resilience;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.autoconfigure.KlusterProperties;
import dev.kluster.boot.error.KlusterApiException;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.transport.KlusterConnection;
import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import dev.kluster.boot.autoconfigure.KlusterSanitizingAutoConfiguration;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the API key reaches kluster.ai's origin and nothing else: no log line (wire
 * logging on), no exception, no {@code toString()}, no actuator output and no other host
 * after a redirect.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiKeyProtectionTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Test
	void keyIsSentToKlusterButNeverLoggedWithWireLoggingAtTrace(CapturedOutput output) {
		try (LocalKluster kluster = LocalKluster.start()) {
			kluster.then(LocalKluster.json(429, "{\"error\":{\"message\":\"Slow down\"}}"),
					LocalKluster.json(200, LocalKluster.COMPLETION), LocalKluster.sse(3, true, Duration.ZERO), LocalKluster.json(401, "{\"error\":{\"message\":\"no\"}}"));
			KlusterContexts.withTraceLogging(() -> KlusterContexts.runner(kluster.baseUrl())
				.withPropertyValues("spring.http.codecs.log-request-details=true")
				.run((context) -> {
					KlusterChatClient client = context.getBean(KlusterChatClient.class);
					StepVerifier.create(client.chat("Hi")).expectNext("Hello there").expectComplete().verify(TIMEOUT);
					StepVerifier.create(client.stream("Hi").count()).expectNext(3L).expectComplete().verify(TIMEOUT);
					StepVerifier.create(client.chat("Hi"))
						.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(KlusterApiException.class)
							.hasMessageNotContaining(LocalKluster.KEY))
						.verify(TIMEOUT);
				}), "reactor.netty", "org.springframework.web.reactive.function.client",
					"org.springframework.http", "dev.kluster");
			assertThat(kluster.authorizations()).containsOnly("Bearer " + LocalKluster.KEY);
		}
		// Logging was on, request details included, yet the key is nowhere.
		assertThat(output).contains("HTTP POST").contains("headers=").contains("User-Agent");
		assertThat(output).doesNotContain(LocalKluster.KEY).doesNotContain("7f3a9c");
	}

	@Test
	void toStringOfEveryTypeLeavesTheKeyOut() {
		try (LocalKluster kluster = LocalKluster.start()) {
			KlusterContexts.runner(kluster.baseUrl()).run((context) -> {
				assertThat(context.getBean(KlusterProperties.class).toString()).doesNotContain(LocalKluster.KEY);
				KlusterConnection connection = context.getBean(KlusterConnection.class);
				assertThat(connection.toString()).doesNotContain(LocalKluster.KEY).contains(kluster.baseUrl());
				assertThat(connection.webClient().toString()).doesNotContain(LocalKluster.KEY);
				assertThat(context.getBean(KlusterChatClient.class).toString()).doesNotContain(LocalKluster.KEY);
				for (String name : context.getBeanDefinitionNames()) {
					assertThat(String.valueOf(context.getBean(name))).as(name).doesNotContain(LocalKluster.KEY);
				}
			});
		}
	}

	@Test
	void actuatorEnvAndConfigpropsMaskTheKeyEvenWhenShowingValues() {
		try (LocalKluster kluster = LocalKluster.start()) {
			KlusterContexts.runner(kluster.baseUrl())
				.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class,
						EnvironmentEndpointAutoConfiguration.class,
						ConfigurationPropertiesReportEndpointAutoConfiguration.class,
						KlusterSanitizingAutoConfiguration.class))
				.withPropertyValues("management.endpoint.env.show-values=always",
						"management.endpoint.configprops.show-values=always",
						"management.endpoints.jmx.exposure.include=*", "management.endpoints.web.exposure.include=*",
						"KLUSTER_API_KEY=" + LocalKluster.KEY, "app.copied-key=" + LocalKluster.KEY,
						"app.visible=shown")
				.run((context) -> {
					JsonMapper json = JsonMapper.shared();
					String env = json
						.writeValueAsString(context.getBean(EnvironmentEndpoint.class).environment(null));
					assertThat(env).contains("kluster.api-key").contains("KLUSTER_API_KEY").contains("******")
						.contains("shown")
						.doesNotContain(LocalKluster.KEY);
					String property = json
						.writeValueAsString(context.getBean(EnvironmentEndpoint.class).environmentEntry("kluster.api-key"));
					assertThat(property).doesNotContain(LocalKluster.KEY);
					String configprops = json.writeValueAsString(
							context.getBean(ConfigurationPropertiesReportEndpoint.class).configurationProperties());
					assertThat(configprops).contains("apiKey").contains("******").doesNotContain(LocalKluster.KEY);
				});
		}
	}

	@Test
	void noAuthorizationFollowsARedirectToAnotherHost() {
		try (LocalKluster kluster = LocalKluster.start("127.0.0.1"); LocalKluster other = LocalKluster.start("127.0.0.2")) {
			kluster.then(LocalKluster.redirect(307, other.baseUrl() + "/chat/completions"));
			KlusterContexts.runner(kluster.baseUrl())
				.withPropertyValues("kluster.retry.enabled=false", "kluster.follow-cross-origin-redirects=true")
				.run((context) -> StepVerifier.create(context.getBean(KlusterChatClient.class).chat("Hi"))
					.expectNext("Hello there")
					.expectComplete()
					.verify(TIMEOUT));
			assertThat(kluster.authorizations()).containsExactly("Bearer " + LocalKluster.KEY);
			assertThat(other.authorizations()).containsExactly("<none>");
		}
	}

	@Test
	void authorizationStaysOnARedirectWithinKlustersOrigin() {
		try (LocalKluster kluster = LocalKluster.start()) {
			kluster.then(LocalKluster.redirect(307, kluster.baseUrl() + "/chat/completions?moved=1"));
			KlusterContexts.runner(kluster.baseUrl())
				.run((context) -> StepVerifier.create(context.getBean(KlusterChatClient.class).chat("Hi"))
					.expectNext("Hello there")
					.expectComplete()
					.verify(TIMEOUT));
			assertThat(kluster.authorizations()).containsExactly("Bearer " + LocalKluster.KEY,
					"Bearer " + LocalKluster.KEY);
		}
	}

	@Test
	void plainHttpToAnotherHostIsRefusedUnlessAllowed(CapturedOutput output) {
		KlusterContexts.runner("http://kluster.example.com/v1").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("kluster.allow-insecure-base-url")
				.hasMessageNotContaining(LocalKluster.KEY);
		});
		KlusterContexts.runner("http://kluster.example.com/v1")
			.withPropertyValues("kluster.allow-insecure-base-url=true")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("the kluster.ai API key crosses the network unencrypted")
			.doesNotContain(LocalKluster.KEY);
	}

	@Test
	void plainHttpToTheLoopbackInterfaceIsAccepted() {
		for (String url : new String[] { "http://localhost:8080/v1", "http://127.0.0.1/v1", "http://[::1]:9/v1",
				"http://127.0.0.2:1/v1" }) {
			KlusterContexts.runner(url).run((context) -> assertThat(context).as(url).hasNotFailed());
		}
	}

}
