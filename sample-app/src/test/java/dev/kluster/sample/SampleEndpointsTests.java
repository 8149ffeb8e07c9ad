package dev.kluster.sample;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.test.KlusterStandIn;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as it runs from the README's first command: no API key, so it answers from
 * the stand-in it starts itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "sample.stand-in.chunk-delay=0ms")
// A hang guard, not a speed requirement: the default 5 s fails on a busy build machine.
@AutoConfigureWebTestClient(timeout = "PT60S")
class SampleEndpointsTests {

	@Autowired
	private WebTestClient web;

	@Autowired
	private KlusterStandIn standIn;

	@Test
	void infoSaysAnswersComeFromTheStandIn() {
		this.web.get().uri("/info").exchange().expectStatus().isOk().expectBody().jsonPath("$.standIn").isEqualTo(true);
	}

	@Test
	void withoutTheSharedLimitsProfileNothingIsPacedAndRedisIsNotUsed() {
		this.web.get()
			.uri("/rate-limit")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.paced")
			.isEqualTo(false)
			.jsonPath("$.store")
			.isEqualTo("local");
		this.web.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP")
			.jsonPath("$.components.redis")
			.doesNotExist();
	}

	@Test
	void modelsAreListedFromTheApi() {
		this.web.get()
			.uri("/models")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[0]")
			.isEqualTo("klusterai/Meta-Llama-3.1-8B-Instruct-Turbo");
	}

	@Test
	void chatAnswersTheCompletionAsJson() {
		this.web.post()
			.uri("/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"prompt\":\"What is batch inference?\",\"model\":\"deepseek-ai/DeepSeek-R1\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.text")
			.isEqualTo("You said: What is batch inference?")
			.jsonPath("$.model")
			.isEqualTo("deepseek-ai/DeepSeek-R1")
			.jsonPath("$.usage.total_tokens")
			.isNumber()
			.jsonPath("$.latencyMillis")
			.isNumber();
		assertThat(this.standIn.lastRequest().json().get("model").asString()).isEqualTo("deepseek-ai/DeepSeek-R1");
	}

	@Test
	void chatWithNIsRefusedWithEveryViolationAndNothingIsSent() {
		int before = this.standIn.requestCount();
		this.web.post()
			.uri("/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"prompt\":\"Hi\",\"n\":2}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.violations[0].path")
			.isEqualTo("n")
			.jsonPath("$.violations[0].hint")
			.isEqualTo("send one request per completion");
		assertThat(this.standIn.requestCount()).isEqualTo(before);
	}

	@Test
	void streamSendsTokensThenUsage() {
		List<ServerSentEvent<String>> events = this.web.get()
			.uri("/chat/stream?prompt={prompt}", "stream this please")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.getResponseBody()
			.collectList()
			.block(Duration.ofSeconds(20));
		assertThat(events).isNotNull();
		List<String> tokens = events.stream()
			.filter((e) -> "token".equals(e.event()))
			.map((e) -> JsonMapper.shared().readTree(e.data()).get("text").asString())
			.toList();
		assertThat(String.join("", tokens)).isEqualTo("You said: stream this please");
		assertThat(tokens).hasSizeGreaterThan(1);
		ServerSentEvent<String> last = events.get(events.size() - 1);
		assertThat(last.event()).isEqualTo("usage");
		assertThat(last.data()).contains("\"total_tokens\"").contains("firstTokenMillis");
	}

	@Test
	void streamWithNEndsWithAProblemEvent() {
		List<ServerSentEvent<String>> events = this.web.get()
			.uri("/chat/stream?prompt=Hi&n=2")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.getResponseBody()
			.collectList()
			.block(Duration.ofSeconds(20));
		assertThat(events).hasSize(1);
		assertThat(events.get(0).event()).isEqualTo("problem");
		assertThat(events.get(0).data()).contains("\"path\":\"n\"");
	}

	@Test
	void actuatorIsExposed() {
		this.web.get().uri("/actuator/health").exchange().expectStatus().isOk();
		this.web.get().uri("/actuator/metrics").exchange().expectStatus().isOk();
	}

}
