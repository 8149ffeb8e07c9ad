package dev.kluster.docs.gettingstarted;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.Usage;
import dev.kluster.boot.validation.KlusterRequestValidator;
import dev.kluster.boot.validation.KlusterValidationException;
import dev.kluster.boot.validation.ValidationPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What getting-started.md's table of map and object arguments says: each is sent as the
 * JSON value it is, refused or not as the table says, and {@code Usage}'s details read
 * as the page says.
 */
class BuilderArgumentTypesTests {

	private final JsonMapper json = JsonMapper.shared();

	private final KlusterRequestValidator validator = new KlusterRequestValidator(ValidationPolicy.defaults());

	private ChatCompletionRequest.Builder request() {
		return ChatCompletionRequest.builder()
			.model("klusterai/Meta-Llama-3.3-70B-Instruct-Turbo")
			.message(ChatMessage.user("Hi"));
	}

	@Test
	void mapsAndObjectsAreSentAsTheJsonValuesTheyAre() {
		ChatCompletionRequest request = request().logitBias(Map.of("50256", -100))
			.toolChoice(Map.of("type", "function", "function", Map.of("name", "current_weather")))
			.functionCall("auto")
			.streamOptions(Map.of("include_usage", true))
			.audio(Map.of("voice", "alloy", "format", "wav"))
			.prediction(Map.of("type", "content", "content", "..."))
			.webSearchOptions(Map.of("search_context_size", "low"))
			.extraBody("repetition_penalty", 1.1)
			.build();
		JsonNode sent = this.json.readTree(this.json.writeValueAsString(request));
		assertThat(sent.at("/logit_bias/50256").asInt()).isEqualTo(-100);
		assertThat(sent.at("/tool_choice/function/name").asString()).isEqualTo("current_weather");
		assertThat(sent.get("function_call").asString()).isEqualTo("auto");
		assertThat(sent.at("/stream_options/include_usage").asBoolean()).isTrue();
		assertThat(sent.at("/audio/voice").asString()).isEqualTo("alloy");
		assertThat(sent.at("/prediction/type").asString()).isEqualTo("content");
		assertThat(sent.at("/web_search_options/search_context_size").asString()).isEqualTo("low");
		assertThat(sent.get("repetition_penalty").asDouble()).isEqualTo(1.1);
	}

	@Test
	void theTableSaysWhichAreRefusedByDefault() {
		assertThatExceptionOfType(KlusterValidationException.class)
			.isThrownBy(() -> this.validator.validate(request().toolChoice("auto")
				.functionCall("auto")
				.streamOptions(Map.of("include_usage", true))
				.build()))
			.satisfies((ex) -> assertThat(ex.paths()).containsExactlyInAnyOrder("tool_choice", "function_call",
					"stream_options"));
		ChatCompletionRequest sent = request().logitBias(Map.of("50256", -100))
			.metadata(Map.of("team", "search"))
			.audio(Map.of("voice", "alloy"))
			.prediction(Map.of("type", "content", "content", "..."))
			.webSearchOptions(Map.of("search_context_size", "low"))
			.build();
		assertThat(this.validator.validate(sent)).isNotNull();
	}

	@Test
	void usageDetailsAreMapsOfIntegerCountsOrNull() {
		ChatCompletion withDetails = this.json.readValue("""
				{"id":"1","object":"chat.completion","created":1,"model":"m","choices":[],
				 "usage":{"prompt_tokens":3,"completion_tokens":5,"total_tokens":8,
				  "prompt_tokens_details":{"cached_tokens":2},
				  "completion_tokens_details":{"reasoning_tokens":4}}}""", ChatCompletion.class);
		Usage usage = withDetails.usage();
		assertThat(usage.totalTokens()).isEqualTo(8);
		assertThat(usage.promptTokensDetails()).containsEntry("cached_tokens", 2);
		assertThat(usage.completionTokensDetails().get("reasoning_tokens")).isInstanceOf(Integer.class);
		ChatCompletion fromKluster = this.json.readValue("""
				{"id":"1","object":"chat.completion","created":1,"model":"m","choices":[],
				 "usage":{"prompt_tokens":3,"completion_tokens":5,"total_tokens":8,"prompt_tokens_details":null}}""",
				ChatCompletion.class);
		assertThat(fromKluster.usage().promptTokensDetails()).isNull();
		assertThat(fromKluster.usage().completionTokensDetails()).isNull();
	}

}
