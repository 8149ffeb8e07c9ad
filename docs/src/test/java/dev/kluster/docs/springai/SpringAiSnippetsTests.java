package dev.kluster.docs.springai;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.kluster.boot.test.AutoConfigureKlusterStandIn;
import dev.kluster.boot.test.KlusterStandIn;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs spring-ai.md's snippets against the stand-in, in an application with Spring AI
 * and the starter's {@code kluster-spring-ai} module.
 */
@SpringBootTest(classes = SpringAiSnippetsTests.Application.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = "spring.ai.model.chat=kluster")
@AutoConfigureKlusterStandIn
class SpringAiSnippetsTests {

	@Autowired
	CapitalService capitals;

	@Autowired
	ChatModel chatModel;

	@Autowired
	KlusterStandIn standIn;

	@Test
	void serviceAsksStreamsAndReadsARecord() {
		this.standIn.answer("Lisbon is the capital");
		assertThat(this.capitals.ask("Capital of Portugal?")).isEqualTo("Lisbon is the capital");
		assertThat(this.capitals.askLive("Capital of Portugal?").collectList().block(Duration.ofSeconds(10)))
			.containsExactly("Lisbon", " is", " the", " capital");
		this.standIn.answer("{\"country\":\"Portugal\",\"city\":\"Lisbon\"}");
		assertThat(this.capitals.capitalOf("Portugal")).isEqualTo(new CapitalService.Capital("Portugal", "Lisbon"));
		assertThat(this.standIn.lastRequest().json().has("response_format")).isFalse();
	}

	@Test
	void portableOptionsGoOnTheWire() {
		ChatResponse response = new SpringAiSnippets(ChatClient.create(this.chatModel)).portableOptions("A long text.");
		assertThat(response.getMetadata().getUsage().getCompletionTokens()).isPositive();
		assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("stop");
		assertThat(this.standIn.lastRequest().json().get("max_completion_tokens").asInt()).isEqualTo(300);
	}

	@Test
	void klusterOptionsGoOnTheWire() {
		new SpringAiSnippets(ChatClient.create(this.chatModel)).klusterOptions("Hi");
		assertThat(this.standIn.lastRequest().json().get("seed").asLong()).isEqualTo(42L);
		assertThat(this.standIn.lastRequest().json().at("/metadata/@kluster.ai/strict_completion_window").asBoolean())
			.isTrue();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(CapitalService.class)
	static class Application {

	}

}
