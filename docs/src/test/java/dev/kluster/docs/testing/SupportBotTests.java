package dev.kluster.docs.testing;

// tag::testing-spring-boot-test[]
import java.time.Duration;

import dev.kluster.boot.test.AutoConfigureKlusterStandIn;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.test.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
@AutoConfigureKlusterStandIn
class SupportBotTests {

	@Autowired
	SupportBot bot;              // your service, which uses KlusterChatClient

	@Autowired
	KlusterStandIn standIn;

	@Test
	void asksTheModelWithTheCustomersQuestion() {
		standIn.answerWhenPromptContains("refund", "Refunds take 5 days.");

		String reply = bot.answer("How long does a refund take?").block(Duration.ofSeconds(5));

		assertThat(reply).isEqualTo("Refunds take 5 days.");
		RecordedRequest sent = standIn.lastRequest();
		assertThat(sent.json().get("model").asString()).isEqualTo("klusterai/Meta-Llama-3.1-8B-Instruct-Turbo");
		assertThat(sent.header("Authorization")).isEqualTo("Bearer test-key");
	}

}
// end::testing-spring-boot-test[]
