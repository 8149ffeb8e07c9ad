package dev.kluster.boot.client;

import java.time.Duration;

import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.error.KlusterRedaction;
import dev.kluster.boot.observation.KlusterObservations;
import dev.kluster.boot.transport.KlusterConnection;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests of {@link KlusterConnection}'s builder: its defaults are the auto-configuration's,
 * and the {@code WebClient} it makes from an API key is made as the auto-configuration
 * makes it.
 */
class KlusterConnectionTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String KEY = "sk-connection-test-secret";

	@RegisterExtension
	final MockKlusterServer server = new MockKlusterServer();

	@Test
	void defaultsAreThoseOfTheAutoConfiguration() {
		KlusterConnection connection = KlusterConnection.builder().apiKey(KEY).build();
		assertThat(connection.baseUrl()).isEqualTo(KlusterConnection.DEFAULT_BASE_URL)
			.isEqualTo("https://api.kluster.ai/v1");
		assertThat(connection.maxResponseSize()).isEqualTo(KlusterConnection.DEFAULT_MAX_RESPONSE_SIZE)
			.isEqualTo(10 * 1024 * 1024);
		assertThat(connection.jsonMapper()).isSameAs(JsonMapper.shared());
		assertThat(connection.observations()).isSameAs(KlusterObservations.NOOP);
		// The error mapper redacts the key, as the auto-configured one does.
		assertThat(connection.errorMapper().redaction().redact("echoed " + KEY)).isEqualTo("echoed "
				+ KlusterRedaction.MASK);
		assertThat(connection.toString()).doesNotContain(KEY);
	}

	@Test
	void baseUrlLosesATrailingSlash() {
		assertThat(KlusterConnection.builder().apiKey(KEY).baseUrl(this.server.baseUrl() + "/").build().baseUrl())
			.isEqualTo(this.server.baseUrl());
	}

	@Test
	void needsAnApiKeyOrAWebClient() {
		assertThatIllegalStateException().isThrownBy(() -> KlusterConnection.builder().build())
			.withMessageContaining("API key");
	}

	@Test
	void webClientMadeFromTheKeySendsItWithTheUserAgentToTheBaseUrl() throws InterruptedException {
		this.server.enqueueJson(200, "{\"object\":\"list\",\"data\":[]}");
		KlusterConnection connection = KlusterConnection.builder().apiKey(KEY).baseUrl(this.server.baseUrl()).build();
		StepVerifier.create(DefaultKlusterChatClient.builder(connection).build().models())
			.expectComplete()
			.verify(TIMEOUT);
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getTarget()).isEqualTo("/v1/models");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
		assertThat(request.getHeaders().get("User-Agent")).isEqualTo(KlusterConnection.DEFAULT_USER_AGENT);
	}

	@Test
	void customizersAreAppliedInOrderAfterTheConnectionsOwnSettings() throws InterruptedException {
		this.server.enqueueJson(200, "{\"object\":\"list\",\"data\":[]}");
		KlusterConnection connection = KlusterConnection.builder()
			.apiKey(KEY)
			.baseUrl(this.server.baseUrl())
			.webClientBuilder(WebClient.builder().defaultHeader("X-Start", "builder"))
			.webClientCustomizer((builder) -> builder.defaultHeader("X-Order", "first"))
			.webClientCustomizer((builder) -> builder.defaultHeaders((headers) -> {
				headers.set("X-Order", headers.getFirst("X-Order") + ",second");
				headers.set("User-Agent", "my-app");
			}))
			.build();
		StepVerifier.create(DefaultKlusterChatClient.builder(connection).build().models())
			.expectComplete()
			.verify(TIMEOUT);
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getHeaders().get("X-Start")).isEqualTo("builder");
		assertThat(request.getHeaders().get("X-Order")).isEqualTo("first,second");
		assertThat(request.getHeaders().get("User-Agent")).isEqualTo("my-app");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
	}

	@Test
	void webClientOfYourOwnIsUsedWithTheConnectionsBaseUrl() throws InterruptedException {
		this.server.enqueueJson(200, "{\"object\":\"list\",\"data\":[]}");
		// Nothing listens on port 1: only the connection's base URL reaches the server.
		WebClient own = WebClient.builder().baseUrl("http://127.0.0.1:1/v1").defaultHeader("X-Own", "yes").build();
		KlusterConnection connection = KlusterConnection.builder().webClient(own).baseUrl(this.server.baseUrl()).build();
		StepVerifier.create(DefaultKlusterChatClient.builder(connection).build().models())
			.expectComplete()
			.verify(TIMEOUT);
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getTarget()).isEqualTo("/v1/models");
		assertThat(request.getHeaders().get("X-Own")).isEqualTo("yes");
	}

	@Test
	void answersLargerThanSpringsCodecDefaultAreReadUpToTheMaxResponseSize() {
		String content = "x".repeat(300 * 1024);
		this.server.enqueueJson(200, completion(content));
		KlusterConnection connection = KlusterConnection.builder().apiKey(KEY).baseUrl(this.server.baseUrl()).build();
		StepVerifier.create(DefaultKlusterChatClient.builder(connection).build().chat("Hi"))
			.assertNext((text) -> assertThat(text).hasSize(content.length()))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void webClientIsMadeOnFirstUseOnly() {
		int[] made = new int[1];
		KlusterConnection connection = KlusterConnection.builder().apiKey(KEY).webClientBuilder(() -> {
			made[0]++;
			return WebClient.builder();
		}).build();
		DefaultKlusterChatClient.builder(connection).build();
		assertThat(made[0]).isZero();
		assertThat(connection.webClient()).isSameAs(connection.webClient());
		assertThat(made[0]).isOne();
	}

	@Test
	void warmUpMakesTheWebClientOnceAndSendsNothing() {
		int[] made = new int[1];
		KlusterConnection connection = KlusterConnection.builder()
			.apiKey(KEY)
			.baseUrl(this.server.baseUrl())
			.webClientCustomizer((builder) -> made[0]++)
			.build();
		assertThat(connection.isWarm()).isFalse();
		connection.warmUp();
		assertThat(connection.isWarm()).isTrue();
		assertThat(made[0]).isOne();
		connection.warmUp();
		connection.webClient();
		assertThat(made[0]).isOne();
		assertThat(this.server.requestCount()).isZero();
	}

	@Test
	void warmUpOfAnHttpsConnectionSendsNothingToItsBaseUrl() {
		// Nothing listens on port 1: an attempt to connect to it would fail the warm-up.
		KlusterConnection connection = KlusterConnection.builder().apiKey(KEY).baseUrl("https://127.0.0.1:1/v1").build();
		connection.warmUp();
		assertThat(connection.isWarm()).isTrue();
	}

	@Test
	void warmUpThatCannotMakeTheWebClientFailsAndLeavesTheConnectionCold() {
		KlusterConnection connection = KlusterConnection.builder().apiKey(KEY).webClientCustomizer((builder) -> {
			throw new IllegalStateException("customizer failed");
		}).build();
		assertThatIllegalStateException().isThrownBy(connection::warmUp).withMessage("customizer failed");
		assertThat(connection.isWarm()).isFalse();
	}

	private static String completion(String content) {
		return """
				{"id":"c1","object":"chat.completion","created":1733832777,"model":"m",
				 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}]}"""
			.formatted(content);
	}

}
