package dev.kluster.docs.sidebyside;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.Role;
import dev.kluster.boot.test.AutoConfigureKlusterStandIn;
import dev.kluster.boot.test.KlusterStandIn;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the starter's side of getting-started.md's side-by-side, and openai-java's, against
 * the stand-in, so that both sides do what the page says they do.
 */
@SpringBootTest(classes = SideBySideTests.Application.class)
@AutoConfigureKlusterStandIn
class SideBySideTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Autowired
	KlusterStandIn standIn;

	@Autowired
	KlusterChatClient kluster;

	private OpenAIClient openAi;

	@BeforeEach
	void openAiJavaClient() {
		this.openAi = OpenAIOkHttpClient.builder().baseUrl(this.standIn.baseUrl()).apiKey("test-key").build();
	}

	@AfterEach
	void closeOpenAiJavaClient() {
		this.openAi.close();
	}

	@Test
	void askAnswersTheQuestionWithTheDefaultModel() {
		this.standIn.answer("Forty-two.");
		StepVerifier.create(new KlusterTasks(this.kluster).ask("What is the answer?"))
			.expectNext("Forty-two.")
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.standIn.lastRequest().json().get("model").asString())
			.isEqualTo("klusterai/Meta-Llama-3.1-8B-Instruct-Turbo");
		assertThat(new OpenAiJavaTasks(this.openAi).ask("What is the answer?")).isEqualTo("Forty-two.");
	}

	@Test
	void bothFullRequestsSendTheSameFields() {
		this.standIn.answer("Short.");
		ChatCompletion completion = new KlusterTasks(this.kluster).request("A long text.").block(TIMEOUT);
		assertThat(completion.text()).isEqualTo("Short.");
		String kluster = this.standIn.lastRequest().json().toString();
		new OpenAiJavaTasks(this.openAi).request("A long text.");
		String openAi = this.standIn.lastRequest().json().toString();
		assertThat(kluster).contains("\"max_completion_tokens\":300", "\"temperature\":0.2",
				"\"model\":\"klusterai/Meta-Llama-3.3-70B-Instruct-Turbo\"");
		assertThat(openAi).contains("\"max_completion_tokens\":300", "\"temperature\":0.2",
				"\"model\":\"klusterai/Meta-Llama-3.3-70B-Instruct-Turbo\"");
	}

	@Test
	void multiTurnPutsTheAnswerIntoTheNextRequestsHistory() {
		this.standIn.answer("Paris.");
		ChatCompletionRequest first = ChatCompletionRequest.builder()
			.message(ChatMessage.user("Capital of France?"))
			.build();
		ChatCompletionRequest followUp = new KlusterTasks(this.kluster).multiTurn(first, "And of Italy?").block(TIMEOUT);
		assertThat(followUp.messages()).extracting(ChatMessage::role)
			.containsExactly(Role.USER, Role.ASSISTANT, Role.USER);
		assertThat(followUp.messages().get(1).text()).isEqualTo("Paris.");
		ChatCompletionCreateParams openAiFirst = ChatCompletionCreateParams.builder()
			.model("klusterai/Meta-Llama-3.1-8B-Instruct-Turbo")
			.addUserMessage("Capital of France?")
			.build();
		assertThat(new OpenAiJavaTasks(this.openAi).multiTurn(openAiFirst, "And of Italy?").messages()).hasSize(3);
	}

	@Test
	void finishReasonAndUsageComeFromTheAnswer() {
		this.standIn.answer("Done.");
		ChatCompletion completion = new KlusterTasks(this.kluster).request("Text.").block(TIMEOUT);
		assertThat(new KlusterTasks(this.kluster).finishAndUsage(completion))
			.isEqualTo("stop " + completion.usage().totalTokens());
		com.openai.models.chat.completions.ChatCompletion openAiCompletion = new OpenAiJavaTasks(this.openAi)
			.request("Text.");
		assertThat(new OpenAiJavaTasks(this.openAi).finishAndUsage(openAiCompletion)).startsWith("stop ");
	}

	@Test
	void streamOfAFullRequestGivesItsText() {
		this.standIn.answer("Waves fold on the shore");
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.message(ChatMessage.system("Answer in one line."), ChatMessage.user("The sea?"))
			.temperature(0.7)
			.build();
		List<String> kluster = new KlusterTasks(this.kluster).stream(request).collectList().block(TIMEOUT);
		assertThat(String.join("", kluster)).isEqualTo("Waves fold on the shore");
		assertThat(kluster).hasSizeGreaterThan(1).doesNotContain("");
		List<String> openAi = new ArrayList<>();
		new OpenAiJavaTasks(this.openAi).stream(ChatCompletionCreateParams.builder()
			.model("klusterai/Meta-Llama-3.1-8B-Instruct-Turbo")
			.addUserMessage("The sea?")
			.build(), openAi::add);
		assertThat(String.join("", openAi)).isEqualTo("Waves fold on the shore");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
