package dev.kluster.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator sees at {@code /actuator} after one completion and one stream: the
 * GenAI meters with the tags {@code docs/observability.md} documents, and the
 * {@code kluster} health component.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "sample.stand-in.chunk-delay=0ms")
// A hang guard, not a speed requirement: the default 5 s fails on a busy build machine.
@AutoConfigureWebTestClient(timeout = "PT60S")
class SampleObservabilityTests {

	private static final String MODEL = "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo";

	private static final List<String> COMMON_TAGS = List.of("gen_ai.operation.name", "gen_ai.provider.name",
			"gen_ai.request.model", "gen_ai.response.model", "server.address", "server.port");

	@Autowired
	private WebTestClient web;

	@BeforeEach
	void oneCompletionAndOneStream() {
		this.web.post()
			.uri("/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"prompt\":\"measure me\"}")
			.exchange()
			.expectStatus()
			.isOk();
		this.web.get()
			.uri("/chat/stream?prompt={prompt}", "stream me")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseBody()
			.collectList()
			.block(Duration.ofSeconds(20));
	}

	@Test
	void operationDurationIsExposedWithTheDocumentedTags() {
		JsonNode metric = metric("gen_ai.client.operation.duration");
		assertThat(tagNames(metric)).containsAll(COMMON_TAGS);
		assertThat(tagValues(metric, "gen_ai.operation.name")).contains("chat");
		assertThat(tagValues(metric, "gen_ai.provider.name")).containsExactly("kluster");
		assertThat(tagValues(metric, "gen_ai.request.model")).contains(MODEL);
		assertThat(tagValues(metric, "server.address")).containsExactly("127.0.0.1");
		assertThat(count(metric("gen_ai.client.operation.duration", "gen_ai.operation.name:chat")))
			.isGreaterThanOrEqualTo(2);
	}

	@Test
	void tokenUsageIsExposedByTokenTypeWithTheDocumentedTags() {
		JsonNode metric = metric("gen_ai.client.token.usage");
		assertThat(tagNames(metric)).containsAll(COMMON_TAGS).contains("gen_ai.token.type");
		assertThat(tagValues(metric, "gen_ai.token.type")).containsExactlyInAnyOrder("input", "output");
		assertThat(count(metric("gen_ai.client.token.usage", "gen_ai.token.type:output"))).isGreaterThanOrEqualTo(2);
	}

	@Test
	void timeToFirstChunkIsExposedForTheStreamWithTheDocumentedTags() {
		JsonNode metric = metric("gen_ai.client.operation.time_to_first_chunk");
		assertThat(tagNames(metric)).containsAll(COMMON_TAGS).doesNotContain("error.type");
		assertThat(count(metric)).isGreaterThanOrEqualTo(1);
	}

	@Test
	void healthShowsTheKlusterComponentUp() {
		this.web.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.components.kluster.status")
			.isEqualTo("UP");
	}

	// The sample's page shows the health output as an operator gets it; it must not drift.
	@Test
	void healthIsWhatSampleMdShows() throws Exception {
		List<String> page = Files.readAllLines(Path.of("../docs/sample.md"));
		String shown = page.get(page.indexOf("curl -s localhost:8080/actuator/health") + 1).substring("# ".length());
		byte[] actual = this.web.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBodyContent();
		JsonMapper json = JsonMapper.shared();
		assertThat(json.readTree(actual)).isEqualTo(json.readTree(shown));
	}

	private JsonNode metric(String name, String... tags) {
		byte[] body = this.web.get()
			.uri((uri) -> uri.path("/actuator/metrics/{name}").queryParam("tag", (Object[]) tags).build(name))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return JsonMapper.shared().readTree(body);
	}

	private static List<String> tagNames(JsonNode metric) {
		return metric.path("availableTags").valueStream().map((tag) -> tag.path("tag").asString()).toList();
	}

	private static List<String> tagValues(JsonNode metric, String name) {
		return metric.path("availableTags")
			.valueStream()
			.filter((tag) -> name.equals(tag.path("tag").asString()))
			.flatMap((tag) -> tag.path("values").valueStream())
			.map(JsonNode::asString)
			.toList();
	}

	private static double count(JsonNode metric) {
		return metric.path("measurements")
			.valueStream()
			.filter((measurement) -> "COUNT".equals(measurement.path("statistic").asString()))
			.mapToDouble((measurement) -> measurement.path("value").asDouble())
			.findFirst()
			.orElse(0);
	}

}
