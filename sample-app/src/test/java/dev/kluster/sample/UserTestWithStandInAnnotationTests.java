package dev.kluster.sample;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.test.AutoConfigureKlusterStandIn;
import dev.kluster.boot.test.KlusterStandIn;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a user tests their own service: one annotation starts the stand-in and points the
 * client at it, and the test asserts on the requests the service sent. The sample's own
 * stand-in is switched off so that only the annotation's is in play.
 */
@SpringBootTest(properties = "sample.stand-in.enabled=false")
@AutoConfigureKlusterStandIn
class UserTestWithStandInAnnotationTests {

	@Autowired
	private KlusterChatClient client;

	@Autowired
	private KlusterStandIn standIn;

	@Test
	void serviceCallsReachTheStandInAndCanBeAsserted() {
		this.standIn.answerWhenPromptContains("refund", "Refunds take 5 days.");
		String answer = this.client.chat("How long does a refund take?").block(Duration.ofSeconds(10));
		assertThat(answer).isEqualTo("Refunds take 5 days.");
		assertThat(this.standIn.lastRequest().json().get("messages").get(0).get("content").asString())
			.isEqualTo("How long does a refund take?");
		assertThat(this.standIn.lastRequest().header("Authorization")).isEqualTo("Bearer test-key");
	}

}
