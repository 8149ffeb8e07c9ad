package dev.kluster.boot.ai;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import dev.kluster.boot.client.DefaultKlusterChatClient;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.KlusterOptions;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.test.KlusterStandInExtension;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterRetry;
import dev.kluster.boot.transport.KlusterTimeouts;
import dev.kluster.boot.validation.KlusterRequestValidator;
import dev.kluster.boot.validation.KlusterValidationException;
import dev.kluster.boot.validation.ValidationPolicy;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.util.MimeTypeUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link KlusterChatModel} through Spring AI's {@link ChatClient}, against the stand-in:
 * what goes on the wire, and what comes back in Spring AI's types.
 */
class KlusterChatModelTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String MODEL = "klusterai/Meta-Llama-3.3-70B-Instruct-Turbo";

	@RegisterExtension
	static final KlusterStandInExtension standInExtension = new KlusterStandInExtension();

	private KlusterStandIn standIn;

	private KlusterChatClient client;

	@BeforeEach
	void buildClient(KlusterStandIn standIn) {
		this.standIn = standIn;
		KlusterConnection connection = KlusterConnection.builder()
			.apiKey("test-key")
			.baseUrl(standIn.baseUrl())
			.build();
		this.client = DefaultKlusterChatClient.builder(connection)
			.timeouts(KlusterTimeouts.of(TIMEOUT))
			.retry(KlusterRetry.none())
			.build();
	}

	private KlusterChatModel model() {
		return KlusterChatModel.builder(this.client).build();
	}

	private JsonNode sent() {
		return this.standIn.lastRequest().json();
	}

	@Test
	void chatClientCallAnswersWithTheContent() {
		this.standIn.answer("Paris is the capital.");
		String content = ChatClient.create(model()).prompt().user("Capital of France?").call().content();
		assertThat(content).isEqualTo("Paris is the capital.");
		assertThat(sent().at("/messages/0/role").asString()).isEqualTo("user");
		assertThat(sent().at("/messages/0/content").asString()).isEqualTo("Capital of France?");
		assertThat(sent().has("stream")).isFalse();
	}

	@Test
	void chatClientStreamAnswersPieceByPieceWithoutStreamOptions() {
		this.standIn.answer("Paris is the capital.");
		StepVerifier.create(ChatClient.create(model()).prompt().user("Capital of France?").stream().content())
			.expectNext("Paris", " is", " the", " capital.")
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(sent().get("stream").asBoolean()).isTrue();
		assertThat(sent().has("stream_options")).isFalse();
	}

	@Test
	void callPutsUsageFinishReasonIdAndModelIntoTheMetadata() {
		this.standIn.answer("Two words");
		ChatResponse response = model().call(new Prompt("one two three"));
		assertThat(response.getResult().getOutput().getText()).isEqualTo("Two words");
		assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("stop");
		assertThat(response.getMetadata().getUsage().getPromptTokens()).isEqualTo(3);
		assertThat(response.getMetadata().getUsage().getCompletionTokens()).isEqualTo(2);
		assertThat(response.getMetadata().getUsage().getTotalTokens()).isEqualTo(5);
		assertThat(response.getMetadata().getUsage().getNativeUsage())
			.isInstanceOf(dev.kluster.boot.model.Usage.class);
		assertThat(response.getMetadata().getId()).isNotEmpty();
		assertThat(response.getMetadata().getModel()).isEqualTo("klusterai/Meta-Llama-3.1-8B-Instruct-Turbo");
	}

	@Test
	void streamEndsWithTheFinishReasonAndTheUsage() {
		this.standIn.answer("Two words");
		List<ChatResponse> responses = model().stream(new Prompt("one two three")).collectList().block(TIMEOUT);
		assertThat(responses).isNotEmpty();
		assertThat(responses).flatExtracting(ChatResponse::getResults)
			.extracting((generation) -> generation.getMetadata().getFinishReason())
			.contains("stop");
		ChatResponse last = responses.get(responses.size() - 1);
		assertThat(last.getMetadata().getUsage().getPromptTokens()).isEqualTo(3);
		assertThat(last.getMetadata().getUsage().getCompletionTokens()).isEqualTo(2);
	}

	@Test
	void portableOptionsGoOnTheWireAndMaxTokensAsMaxCompletionTokens() {
		ChatOptions options = ChatOptions.builder()
			.model(MODEL)
			.temperature(0.3)
			.topP(0.9)
			.maxTokens(100)
			.stopSequences(List.of("END"))
			.frequencyPenalty(0.5)
			.presencePenalty(-0.5)
			.topK(40)
			.build();
		ChatClient.create(model()).prompt().options(options.mutate()).user("Hi").call().content();
		JsonNode sent = sent();
		assertThat(sent.get("model").asString()).isEqualTo(MODEL);
		assertThat(sent.get("temperature").asDouble()).isEqualTo(0.3);
		assertThat(sent.get("top_p").asDouble()).isEqualTo(0.9);
		assertThat(sent.get("max_completion_tokens").asInt()).isEqualTo(100);
		assertThat(sent.has("max_tokens")).isFalse();
		assertThat(sent.at("/stop/0").asString()).isEqualTo("END");
		assertThat(sent.get("frequency_penalty").asDouble()).isEqualTo(0.5);
		assertThat(sent.get("presence_penalty").asDouble()).isEqualTo(-0.5);
		assertThat(sent.get("top_k").asInt()).isEqualTo(40);
	}

	@Test
	void klusterOptionsAddSeedUserMetadataAndKlusterAiOptions() {
		KlusterChatOptions options = KlusterChatOptions.builder()
			.seed(42L)
			.user("user-7")
			.metadata(Map.of("team", "support"))
			.klusterOptions(KlusterOptions.builder().completionWindow("24h").strictCompletionWindow(true).build())
			.build();
		model().call(new Prompt("Hi", options));
		JsonNode sent = sent();
		assertThat(sent.get("seed").asLong()).isEqualTo(42L);
		assertThat(sent.get("user").asString()).isEqualTo("user-7");
		assertThat(sent.at("/metadata/team").asString()).isEqualTo("support");
		assertThat(sent.at("/metadata/@kluster.ai/completion_window").asString()).isEqualTo("24h");
		assertThat(sent.at("/metadata/@kluster.ai/strict_completion_window").asBoolean()).isTrue();
	}

	@Test
	void defaultOptionsCombineWithTheRequestsInChatClient() {
		KlusterChatModel model = KlusterChatModel.builder(this.client)
			.defaultOptions(KlusterChatOptions.builder().model(MODEL).temperature(0.2).seed(7L).build())
			.build();
		ChatClient.create(model).prompt().options(ChatOptions.builder().temperature(0.8)).user("Hi").call().content();
		assertThat(sent().get("model").asString()).isEqualTo(MODEL);
		assertThat(sent().get("temperature").asDouble()).isEqualTo(0.8);
		assertThat(sent().get("seed").asLong()).isEqualTo(7L);
	}

	@Test
	void defaultOptionsApplyToAPromptWithoutOptions() {
		KlusterChatModel model = KlusterChatModel.builder(this.client)
			.defaultOptions(KlusterChatOptions.builder().model(MODEL).maxTokens(12).build())
			.build();
		model.call(new Prompt("Hi"));
		assertThat(sent().get("model").asString()).isEqualTo(MODEL);
		assertThat(sent().get("max_completion_tokens").asInt()).isEqualTo(12);
	}

	@Test
	void unsetOptionsAreLeftToTheClientsDefaults() {
		model().call(new Prompt("Hi"));
		assertThat(sent().get("model").asString()).isEqualTo("klusterai/Meta-Llama-3.1-8B-Instruct-Turbo");
		assertThat(sent().has("temperature")).isFalse();
		assertThat(sent().has("top_k")).isFalse();
	}

	@Test
	void systemUserAssistantAndToolMessagesGoOnTheWireInOrder() {
		this.standIn.accept("tools", "messages[].tool_calls");
		AssistantMessage assistant = AssistantMessage.builder()
			.content("")
			.toolCalls(List.of(new AssistantMessage.ToolCall("call_1", "function", "weather", "{\"city\":\"Lisbon\"}")))
			.build();
		ToolResponseMessage tool = ToolResponseMessage.builder()
			.responses(List.of(new ToolResponseMessage.ToolResponse("call_1", "weather", "Sunny")))
			.build();
		KlusterChatModel model = KlusterChatModel.builder(DefaultKlusterChatClient
			.builder(KlusterConnection.builder().apiKey("test-key").baseUrl(this.standIn.baseUrl()).build())
			.validator(new KlusterRequestValidator(ValidationPolicy.defaults().allowing("tools", "messages[].tool_calls")))
			.retry(KlusterRetry.none())
			.build()).build();
		model.call(new Prompt(List.of(new SystemMessage("Be brief."), new UserMessage("Weather in Lisbon?"), assistant,
				tool)));
		JsonNode messages = sent().get("messages");
		assertThat(messages).extracting((message) -> message.get("role").asString())
			.containsExactly("system", "user", "assistant", "tool");
		assertThat(messages.get(0).get("content").asString()).isEqualTo("Be brief.");
		assertThat(messages.get(2).at("/tool_calls/0/id").asString()).isEqualTo("call_1");
		assertThat(messages.get(2).at("/tool_calls/0/function/name").asString()).isEqualTo("weather");
		assertThat(messages.get(2).at("/tool_calls/0/function/arguments").asString())
			.isEqualTo("{\"city\":\"Lisbon\"}");
		assertThat(messages.get(3).get("tool_call_id").asString()).isEqualTo("call_1");
		assertThat(messages.get(3).get("content").asString()).isEqualTo("Sunny");
	}

	@Test
	void imagesGoAsContentParts() {
		UserMessage message = UserMessage.builder()
			.text("What is this?")
			.media(new Media(MimeTypeUtils.IMAGE_PNG, new ByteArrayResource(new byte[] { 1, 2 })))
			.build();
		model().call(new Prompt(message));
		assertThat(sent().at("/messages/0/content/0/text").asString()).isEqualTo("What is this?");
		assertThat(sent().at("/messages/0/content/1/image_url/url").asString()).isEqualTo("data:image/png;base64,AQI=");
	}

	@Test
	void whatKlusterAiRefusesIsRefusedBeforeTheWireWithTheClientsMessage() {
		ChatOptions outOfRange = ChatOptions.builder().temperature(3.0).build();
		int before = this.standIn.requestCount();
		KlusterValidationException fromModel = catchThrowableOfType(KlusterValidationException.class,
				() -> ChatClient.create(model()).prompt().options(outOfRange.mutate()).user("Hi").call().content());
		KlusterValidationException fromClient = catchThrowableOfType(KlusterValidationException.class,
				() -> this.client
					.chat(ChatCompletionRequest.builder().message(ChatMessage.user("Hi")).temperature(3.0).build())
					.block(TIMEOUT));
		assertThat(fromModel).isNotNull();
		assertThat(fromModel.getMessage()).isEqualTo(fromClient.getMessage()).contains("temperature");
		assertThat(this.standIn.requestCount()).isEqualTo(before);
	}

	@Test
	void toolCallsOfAnEarlierTurnAreRefusedAsKlusterAiRefusesThem() {
		AssistantMessage assistant = AssistantMessage.builder()
			.content("")
			.toolCalls(List.of(new AssistantMessage.ToolCall("call_1", "function", "weather", "{}")))
			.build();
		int before = this.standIn.requestCount();
		assertThatExceptionOfType(KlusterValidationException.class)
			.isThrownBy(() -> model().call(new Prompt(List.of(new UserMessage("Hi"), assistant))))
			.withMessageContaining("messages[1].tool_calls");
		StepVerifier.create(model().stream(new Prompt(List.of(new UserMessage("Hi"), assistant))))
			.expectError(KlusterValidationException.class)
			.verify(TIMEOUT);
		assertThat(this.standIn.requestCount()).isEqualTo(before);
	}

	record Capital(String country, String city) {
	}

	@Test
	void structuredOutputAsksForTheFormatInThePromptNotWithResponseFormat() {
		this.standIn.answer("{\"country\":\"France\",\"city\":\"Paris\"}");
		Capital capital = ChatClient.create(model()).prompt().user("Capital of France?").call().entity(Capital.class);
		assertThat(capital).isEqualTo(new Capital("France", "Paris"));
		assertThat(sent().has("response_format")).isFalse();
		assertThat(sent().at("/messages/0/content").asString()).contains("Capital of France?")
			.contains("\"city\"")
			.containsIgnoringCase("json");
	}

}
