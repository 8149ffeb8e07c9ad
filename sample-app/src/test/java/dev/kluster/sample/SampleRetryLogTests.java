package dev.kluster.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kluster.boot.test.KlusterStandIn;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's first chat call meets a 429 from the stand-in: its log shows the retry
 * and the answer arrives, with request logging at its most detailed and without the API
 * key anywhere.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sample.stand-in.chunk-delay=0ms", "spring.http.codecs.log-request-details=true",
				"logging.level.org.springframework.web.reactive.function.client.ExchangeFunctions=TRACE",
				"logging.level.reactor.netty.http.client=DEBUG" })
// A hang guard, not a speed requirement: the default 5 s fails on a busy build machine.
@AutoConfigureWebTestClient(timeout = "PT60S")
@ExtendWith(OutputCaptureExtension.class)
class SampleRetryLogTests {

	@Autowired
	private WebTestClient web;

	@Autowired
	private KlusterStandIn standIn;

	@Test
	void rateLimitedFirstChatIsRetriedIntoASuccessWithoutTheKeyInTheLog(CapturedOutput output) {
		this.web.post()
			.uri("/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"prompt\":\"Is the first call retried?\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.text")
			.isEqualTo("You said: Is the first call retried?");
		assertThat(this.standIn.requests()).hasSize(2);
		assertThat(output).contains("kluster.ai call failed on attempt 1 of 3, retrying in")
			.contains("HTTP 429")
			.doesNotContain("stand-in-key");
		assertThat(this.standIn.lastRequest().header("Authorization")).isEqualTo("Bearer stand-in-key");
	}

}
