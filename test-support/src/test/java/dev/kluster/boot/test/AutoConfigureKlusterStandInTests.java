package dev.kluster.boot.test;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AutoConfigureKlusterStandIn}.
 */
@SpringBootTest(classes = AutoConfigureKlusterStandInTests.ModelsClientConfiguration.class,
		webEnvironment = WebEnvironment.NONE, properties = "kluster.base-url=https://api.kluster.ai/v1")
@AutoConfigureKlusterStandIn
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoConfigureKlusterStandInTests {

	@Autowired
	private KlusterStandIn standIn;

	@Autowired
	private Environment environment;

	@Autowired
	private ModelsClient modelsClient;

	@Test
	void pointsTheBaseUrlAtTheStandInOverAnyOtherValue() {
		assertThat(this.environment.getProperty("kluster.base-url")).isEqualTo(this.standIn.baseUrl())
			.startsWith("http://127.0.0.1:");
	}

	@Test
	void setsATestApiKeyWhenNoneIsConfigured() {
		assertThat(this.environment.getProperty("kluster.api-key")).isEqualTo("test-key");
	}

	@Test
	void letsTheTestAssertOnWhatTheApplicationSent() {
		assertThat(this.modelsClient.modelsJson()).contains("deepseek-ai/DeepSeek-R1");
		RecordedRequest request = this.standIn.lastRequest();
		assertThat(request.path()).isEqualTo("/v1/models");
		assertThat(request.header(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer test-key");
	}

	@Test
	@Order(1)
	void scriptsTheStandInAndLeavesAFaultQueued() {
		this.standIn.models("only/model").failNext(500, "boom");
		this.modelsClient.modelsJson();
		this.standIn.failNext(500, "boom");
		assertThat(this.standIn.requestCount()).isOne();
	}

	@Test
	@Order(2)
	void startsEachTestWithAResetStandIn() {
		assertThat(this.standIn.requestCount()).isZero();
		assertThat(this.modelsClient.modelsJson()).contains("deepseek-ai/DeepSeek-R1");
	}

	@Test
	void refusesToolsAsKlusterAiDoesWhenTheApplicationDoesNotAllowThem() {
		StandInClient.Reply reply = new StandInClient(this.standIn.baseUrl()).post("/chat/completions",
				AutoConfigureKlusterStandInWithValidationSettingsTests.WITH_TOOLS);
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.json().path("error").path("param").asString()).isEqualTo("tools");
	}

	@Configuration(proxyBeanMethods = false)
	static class ModelsClientConfiguration {

		@Bean
		ModelsClient modelsClient(@Value("${kluster.base-url}") String baseUrl,
				@Value("${kluster.api-key}") String apiKey) {
			return new ModelsClient(WebClient.builder()
				.baseUrl(baseUrl)
				.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey)
				.build());
		}

	}

	/**
	 * Application code that calls kluster.ai with the configured URL and key.
	 */
	static class ModelsClient {

		private final WebClient webClient;

		ModelsClient(WebClient webClient) {
			this.webClient = webClient;
		}

		String modelsJson() {
			return this.webClient.get()
				.uri("/models")
				.retrieve()
				.bodyToMono(String.class)
				.onErrorResume((ex) -> Mono.just("failed: " + ex.getMessage()))
				.block(StandInClient.TIMEOUT);
		}

	}

}
