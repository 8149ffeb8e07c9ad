package dev.kluster.sample;

import org.junit.jupiter.api.Test;

import dev.kluster.boot.test.KlusterStandIn;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's {@code POST /batch} against its own stand-in, whose clock the sample moves
 * on by itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "sample.stand-in.chunk-delay=0ms")
// A hang guard, not a speed requirement: the default 5 s fails on a busy build machine.
@AutoConfigureWebTestClient(timeout = "PT60S")
class SampleBatchTests {

	@Autowired
	private WebTestClient web;

	@Autowired
	private KlusterStandIn standIn;

	@Test
	void batchRunsThePromptsAsOneBatchAndAnswersEachResultByItsPrompt() {
		int batchesBefore = this.standIn.batchIds().size();
		this.web.post()
			.uri("/batch")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"prompts\":[\"first question\",\"second question\",\"third question\"],"
					+ "\"model\":\"deepseek-ai/DeepSeek-R1\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.batchId")
			.value((batchId) -> assertThat(batchId).isEqualTo(lastBatchId()))
			.jsonPath("$.status")
			.isEqualTo("completed")
			.jsonPath("$.results.length()")
			.isEqualTo(3)
			.jsonPath("$.results[0].customId")
			.isEqualTo("prompt-1")
			.jsonPath("$.results[0].text")
			.isEqualTo("You said: first question")
			.jsonPath("$.results[2].prompt")
			.isEqualTo("third question")
			.jsonPath("$.results[2].text")
			.isEqualTo("You said: third question")
			.jsonPath("$.latencyMillis")
			.isNumber();
		assertThat(this.standIn.batchIds()).hasSize(batchesBefore + 1);
	}

	@Test
	void failedRequestOfABatchIsShownWithItsError() {
		this.standIn.failBatchLinesWhenPromptContains("crash", "server_error", "The model crashed");
		this.web.post()
			.uri("/batch")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"prompts\":[\"fine\",\"please crash\"]}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("completed")
			.jsonPath("$.results[0].text")
			.isEqualTo("You said: fine")
			.jsonPath("$.results[1].customId")
			.isEqualTo("prompt-2")
			.jsonPath("$.results[1].error")
			.isEqualTo("The model crashed");
	}

	@Test
	void batchWithoutPromptsIsRefused() {
		int before = this.standIn.requestCount();
		this.web.post()
			.uri("/batch")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"prompts\":[\" \"]}")
			.exchange()
			.expectStatus()
			.isBadRequest();
		assertThat(this.standIn.requestCount()).isEqualTo(before);
	}

	private String lastBatchId() {
		return this.standIn.batchIds().get(this.standIn.batchIds().size() - 1);
	}

}
