package dev.kluster.docs.springai;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kluster.boot.ai.KlusterEmbeddingModel;
import dev.kluster.boot.test.AutoConfigureKlusterStandIn;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.test.RecordedRequest;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingResponse;
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
		properties = { "spring.ai.model.chat=kluster", "spring.ai.model.embedding=kluster",
				"kluster.embedding.model=configured-embedding-model" })
@AutoConfigureKlusterStandIn
class SpringAiSnippetsTests {

	@Autowired
	CapitalService capitals;

	@Autowired
	ChatModel chatModel;

	@Autowired
	EmbeddingModel embeddingModel;

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

	@Test
	void embeddingModelEmbedsWithTheConfiguredAndTheRequestsModel() {
		assertThat(this.embeddingModel).isInstanceOf(KlusterEmbeddingModel.class);
		EmbeddingResponse response = new EmbeddingModelSnippets(this.embeddingModel).embed();
		assertThat(response.getResults()).hasSize(2);
		assertThat(response.getResult().getOutput()).containsExactly(this.embeddingModel.embed("The quick brown fox"));
		assertThat(response.getMetadata().getUsage().getPromptTokens()).isEqualTo(7);
		List<RecordedRequest> requests = this.standIn.requests();
		assertThat(requests.get(requests.size() - 3).json().get("model").asString())
			.isEqualTo("configured-embedding-model");
		assertThat(requests.get(requests.size() - 2).json().get("model").asString()).isEqualTo("your-embedding-model");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(CapitalService.class)
	static class Application {

	}

}
