package dev.kluster.sample;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.test.KlusterStandIn;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code POST /similarity} against the sample's own stand-in, whose vectors are a
 * function of the text.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// A hang guard, not a speed requirement: the default 5 s fails on a busy build machine.
@AutoConfigureWebTestClient(timeout = "PT60S")
class SampleSimilarityTests {

	@Autowired
	private WebTestClient web;

	@Autowired
	private KlusterStandIn standIn;

	private JsonNode similarity(String first, String second) {
		byte[] body = this.web.post()
			.uri("/similarity")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(new SimilarityController.Sentences(first, second))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return JsonMapper.shared().readTree(body);
	}

	@Test
	void aSentenceIsMostSimilarToItselfInOneEmbeddingRequest() {
		JsonNode same = similarity("The cat sleeps", "The cat sleeps");
		assertThat(same.path("similarity").asDouble()).isCloseTo(1.0, within(1e-6));
		assertThat(same.path("dimensions").asInt()).isEqualTo(8);
		assertThat(same.path("model").asString()).isEqualTo(StandInEnvironmentPostProcessor.STAND_IN_EMBEDDING_MODEL);
		JsonNode request = this.standIn.lastRequest().json();
		assertThat(this.standIn.lastRequest().path()).isEqualTo("/v1/embeddings");
		assertThat(request.path("input")).hasSize(2);
		assertThat(similarity("The cat sleeps", "Stock markets fell").path("similarity").asDouble()).isLessThan(0.99);
	}

	@Test
	void anEmptySentenceIsRefusedWithTheViolation() {
		int requests = this.standIn.requestCount();
		this.web.post()
			.uri("/similarity")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(new SimilarityController.Sentences("", "The cat sleeps"))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.value((detail) -> assertThat(detail.toString()).contains("input[0] must not be empty"));
		assertThat(this.standIn.requestCount()).as("requests sent").isEqualTo(requests);
	}

}
