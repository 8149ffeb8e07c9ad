package dev.kluster.boot.validation;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.ContentPart;
import dev.kluster.boot.model.KlusterOptions;
import dev.kluster.boot.model.ResponseFormat;
import dev.kluster.boot.model.Role;
import dev.kluster.boot.model.ToolCall;
import dev.kluster.boot.model.ToolDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Tests for {@link KlusterRequestValidator}.
 */
@ExtendWith(OutputCaptureExtension.class)
class KlusterRequestValidatorTests {

	private static final String MODEL = "klusterai/Meta-Llama-3.3-70B-Instruct-Turbo";

	private static final ToolDefinition WEATHER_TOOL = ToolDefinition
		.function(new ToolDefinition.FunctionDefinition("weather", "Current weather", null, null));

	private final KlusterRequestValidator validator = new KlusterRequestValidator(ValidationPolicy.defaults());

	@Test
	void validRequestIsReturnedAsTheSameInstance() {
		ChatCompletionRequest request = valid().temperature(0.7)
			.topP(0.9)
			.frequencyPenalty(0.5)
			.presencePenalty(-0.5)
			.logitBias(Map.of("50256", -100))
			.logprobs(true)
			.topLogprobs(5)
			.maxCompletionTokens(256)
			.seed(42L)
			.stop("###")
			.stream(true)
			.user("user-1")
			.metadata(Map.of("team", "search"))
			.klusterOptions(KlusterOptions.builder()
				.async(true)
				.completionWindow(KlusterOptions.CompletionWindow.HOURS_24)
				.callbackUrl("https://example.com/done")
				.build())
			.message(ChatMessage.assistant("Hello"), ChatMessage.user(ContentPart.text("What is this?"),
					ContentPart.imageUrl("https://example.com/cat.png")))
			.build();
		assertThat(this.validator.validate(request)).isSameAs(request);
	}

	@Test
	void validatorExposesItsPolicy() {
		ValidationPolicy policy = ValidationPolicy.defaults().withMode(ValidationMode.DROP);
		assertThat(new KlusterRequestValidator(policy).policy()).isSameAs(policy);
	}

	@Test
	void everyDefaultUnsupportedRequestParameterIsCoveredByTheParameterizedTest() {
		assertThat(unsupportedRequestParameters().map((arguments) -> arguments.get()[0]))
			.containsExactlyElementsOf(ValidationPolicy.DEFAULT_UNSUPPORTED_REQUEST_PARAMETERS);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("unsupportedRequestParameters")
	void unsupportedRequestParameterIsRefusedByItsPath(String path, UnaryOperator<ChatCompletionRequest.Builder> setter) {
		KlusterValidationException ex = refusal(this.validator, setter.apply(valid()).build());
		assertThat(ex.violations()).singleElement().satisfies((violation) -> {
			assertThat(violation.path()).isEqualTo(path);
			assertThat(violation.message()).isEqualTo("is not supported by kluster.ai");
			assertThat(violation.hint()).isEqualTo(ValidationPolicy.DEFAULT_HINTS.get(path));
		});
	}

	static Stream<Arguments> unsupportedRequestParameters() {
		return Stream.of(setting("store", (builder) -> builder.store(false)),
				setting("max_tokens", (builder) -> builder.maxTokens(100)),
				setting("n", (builder) -> builder.n(1)),
				setting("modalities", (builder) -> builder.modalities(List.of("text"))),
				setting("response_format", (builder) -> builder.responseFormat(ResponseFormat.jsonObject())),
				setting("service_tier", (builder) -> builder.serviceTier("flex")),
				setting("stream_options", (builder) -> builder.streamOptions(Map.of("include_usage", true))),
				// An explicit empty list is still sent, so it counts as set.
				setting("tools", (builder) -> builder.tools(List.of())),
				setting("tool_choice", (builder) -> builder.toolChoice("auto")),
				setting("parallel_tool_calls", (builder) -> builder.parallelToolCalls(false)),
				setting("function_call", (builder) -> builder.functionCall("none")),
				setting("functions", (builder) -> builder.functions(List.of())));
	}

	private static Arguments setting(String path, UnaryOperator<ChatCompletionRequest.Builder> setter) {
		return arguments(path, setter);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("unsupportedMessageParameters")
	void unsupportedMessageParameterIsRefusedByItsPathInTheMessage(String name,
			UnaryOperator<ChatMessage.Builder> setter) {
		ChatMessage message = setter.apply(ChatMessage.builder(Role.ASSISTANT).content("Earlier answer")).build();
		ChatCompletionRequest request = valid().message(message).build();
		KlusterValidationException ex = refusal(this.validator, request);
		assertThat(ex.violations()).singleElement().satisfies((violation) -> {
			assertThat(violation.path()).isEqualTo("messages[2]." + name);
			assertThat(violation.message()).isEqualTo("is not supported by kluster.ai");
			assertThat(violation.hint()).isNotBlank();
		});
	}

	static Stream<Arguments> unsupportedMessageParameters() {
		return Stream.of(arguments("name", (UnaryOperator<ChatMessage.Builder>) (builder) -> builder.name("Ada")),
				arguments("refusal", (UnaryOperator<ChatMessage.Builder>) (builder) -> builder.refusal("No")),
				arguments("audio", (UnaryOperator<ChatMessage.Builder>) (builder) -> builder.audio(Map.of("id", "a1"))),
				arguments("tool_calls", (UnaryOperator<ChatMessage.Builder>) (builder) -> builder.toolCalls(List.of())),
				arguments("function_call", (UnaryOperator<ChatMessage.Builder>) (builder) -> builder
					.functionCall(new ToolCall.FunctionCall("weather", "{}"))));
	}

	@Test
	void everyDefaultUnsupportedMessageParameterIsCoveredByTheParameterizedTest() {
		assertThat(unsupportedMessageParameters().map((arguments) -> arguments.get()[0]))
			.containsExactlyElementsOf(ValidationPolicy.DEFAULT_UNSUPPORTED_MESSAGE_PARAMETERS);
	}

	@Test
	void everyViolationIsReportedInOneExceptionWithHints() {
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.model(MODEL)
			.message(ChatMessage.builder(Role.USER).content("Hi").name("Ada").build())
			.n(2)
			.maxTokens(100)
			.temperature(3.5)
			.build();
		KlusterValidationException ex = refusal(this.validator, request);
		assertThat(ex.paths()).containsExactly("max_tokens", "n", "messages[0].name", "temperature");
		assertThat(ex.violations().get(0).hint()).contains("max_completion_tokens");
		assertThat(ex.getMessage()).startsWith("Request not sent: 4 parameters break kluster.ai's rules: ")
			.contains("max_tokens is not supported by kluster.ai (use max_completion_tokens)")
			.contains("n is not supported by kluster.ai (send one request per completion)")
			.contains("messages[0].name is not supported by kluster.ai (put the speaker's name in the message content)")
			.endsWith("temperature must be between 0 and 2, was 3.5");
	}

	@Test
	void exceptionMessageListsUnsupportedParametersThenMessagesThenValueRules() {
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.model(MODEL)
			.temperature(3.5)
			.message(ChatMessage.builder(Role.USER).content("Hi").name("Ada").build())
			.n(2)
			.build();
		assertThat(refusal(this.validator, request)).hasMessage(
				"Request not sent: 3 parameters break kluster.ai's rules: n is not supported by kluster.ai (send one "
						+ "request per completion); messages[0].name is not supported by kluster.ai (put the speaker's "
						+ "name in the message content); temperature must be between 0 and 2, was 3.5");
	}

	@Test
	void unsupportedParameterInExtraBodyIsRefused() {
		KlusterValidationException ex = refusal(this.validator, valid().extraBody("n", 2).build());
		assertThat(ex.violations()).singleElement()
			.isEqualTo(new Violation("n", "is not supported by kluster.ai", "send one request per completion"));
	}

	@Test
	void extraBodyDuplicatingATypedFieldIsRefusedWithTheBuilderMethodToUse() {
		KlusterValidationException ex = refusal(this.validator, valid().extraBody("top_p", 0.5).build());
		assertThat(ex.violations()).singleElement().satisfies((violation) -> {
			assertThat(violation.path()).isEqualTo("top_p");
			assertThat(violation.message()).contains("typed field");
			assertThat(violation.hint()).isEqualTo("use the builder method topP(...)");
		});
	}

	@Test
	void extraBodyWithANameKlusterAiDoesNotRefuseIsSent() {
		ChatCompletionRequest request = valid().extraBody("repetition_penalty", 1.1).build();
		assertThat(this.validator.validate(request)).isSameAs(request);
	}

	@Test
	void extraBodyWithAnUnsupportedTypedNameIsReportedOnlyAsUnsupported() {
		KlusterValidationException ex = refusal(this.validator, valid().extraBody("max_tokens", 10).build());
		assertThat(ex.violations()).singleElement()
			.satisfies((violation) -> assertThat(violation.message()).isEqualTo("is not supported by kluster.ai"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("ranges")
	void decimalParameterIsAcceptedAtItsBoundsAndRefusedJustOutside(String path,
			BiFunction<ChatCompletionRequest.Builder, Double, ChatCompletionRequest.Builder> setter, double min,
			double max) {
		assertAccepted(setter.apply(valid(), min).build());
		assertAccepted(setter.apply(valid(), max).build());
		assertThat(refusal(this.validator, setter.apply(valid(), min - 0.01).build()).paths()).containsExactly(path);
		assertThat(refusal(this.validator, setter.apply(valid(), max + 0.01).build()).paths()).containsExactly(path);
		assertThat(refusal(this.validator, setter.apply(valid(), Double.NaN).build()).paths()).containsExactly(path);
	}

	static Stream<Arguments> ranges() {
		return Stream.of(range("temperature", ChatCompletionRequest.Builder::temperature, 0, 2),
				range("top_p", ChatCompletionRequest.Builder::topP, 0, 1),
				range("frequency_penalty", ChatCompletionRequest.Builder::frequencyPenalty, -2, 2),
				range("presence_penalty", ChatCompletionRequest.Builder::presencePenalty, -2, 2));
	}

	private static Arguments range(String path,
			BiFunction<ChatCompletionRequest.Builder, Double, ChatCompletionRequest.Builder> setter, double min,
			double max) {
		return arguments(path, setter, min, max);
	}

	@Test
	void rangeViolationStatesTheRangeAndTheValue() {
		KlusterValidationException ex = refusal(this.validator, valid().presencePenalty(-2.5).build());
		assertThat(ex.violations()).singleElement()
			.isEqualTo(new Violation("presence_penalty", "must be between -2 and 2, was -2.5", null));
	}

	@Test
	void topLogprobsIsAcceptedFromZeroToTwentyWithLogprobs() {
		assertAccepted(valid().logprobs(true).topLogprobs(0).build());
		assertAccepted(valid().logprobs(true).topLogprobs(20).build());
		assertThat(refusal(this.validator, valid().logprobs(true).topLogprobs(-1).build()).getMessage())
			.endsWith("top_logprobs must be between 0 and 20, was -1");
		assertThat(refusal(this.validator, valid().logprobs(true).topLogprobs(21).build()).getMessage())
			.endsWith("top_logprobs must be between 0 and 20, was 21");
	}

	@Test
	void topLogprobsWithoutLogprobsIsRefused() {
		KlusterValidationException withoutLogprobs = refusal(this.validator, valid().topLogprobs(5).build());
		assertThat(withoutLogprobs.paths()).containsExactly("top_logprobs");
		assertThat(withoutLogprobs.violations().get(0).message()).startsWith("requires logprobs=true");
		assertThat(refusal(this.validator, valid().logprobs(false).topLogprobs(5).build()).paths())
			.containsExactly("top_logprobs");
	}

	@Test
	void stopAcceptsFourSequencesButNotFive() {
		assertAccepted(valid().stop("a", "b", "c", "d").build());
		KlusterValidationException ex = refusal(this.validator, valid().stop("a", "b", "c", "d", "e").build());
		assertThat(ex.violations()).singleElement()
			.isEqualTo(new Violation("stop", "must have at most 4 entries, had 5", null));
	}

	@Test
	void logitBiasValuesAreAcceptedFromMinusHundredToHundred() {
		assertAccepted(valid().logitBias(Map.of("50256", -100, "13", 100)).build());
		assertThat(refusal(this.validator, valid().logitBias(Map.of("50256", -101)).build()).violations())
			.singleElement()
			.isEqualTo(new Violation("logit_bias[\"50256\"]", "must be between -100 and 100, was -101", null));
		assertThat(refusal(this.validator, valid().logitBias(Map.of("50256", 100, "13", 101)).build()).paths())
			.containsExactly("logit_bias[\"13\"]");
	}

	@Test
	void maxCompletionTokensMustBeAtLeastOne() {
		assertAccepted(valid().maxCompletionTokens(1).build());
		assertThat(refusal(this.validator, valid().maxCompletionTokens(0).build()).violations()).singleElement()
			.isEqualTo(new Violation("max_completion_tokens", "must be at least 1, was 0", null));
	}

	@ParameterizedTest
	@ValueSource(strings = { "24h", "48h", "72h" })
	void completionWindowKlusterAiOffersIsAccepted(String window) {
		assertAccepted(valid().klusterOptions(KlusterOptions.builder().completionWindow(window).build()).build());
	}

	@ParameterizedTest
	@ValueSource(strings = { "12h", "24", "96h", "", "24H" })
	void otherCompletionWindowIsRefused(String window) {
		ChatCompletionRequest request = valid()
			.klusterOptions(KlusterOptions.builder().completionWindow(window).build())
			.build();
		KlusterValidationException ex = refusal(this.validator, request);
		assertThat(ex.violations()).singleElement().satisfies((violation) -> {
			assertThat(violation.path()).isEqualTo("metadata[\"@kluster.ai\"].completion_window");
			assertThat(violation.message()).contains("24h, 48h, 72h").contains("\"" + window + "\"");
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://example.com", "https://example.com/hooks/done?id=1", "HTTPS://example.com" })
	void absoluteHttpCallbackUrlIsAccepted(String url) {
		assertAccepted(valid().klusterOptions(KlusterOptions.builder().callbackUrl(url).build()).build());
	}

	@ParameterizedTest
	@ValueSource(strings = { "ftp://example.com/done", "/hooks/done", "example.com/done", "https://", "not a url",
			"mailto:ops@example.com", "https:///hooks/done", "http:example.com" })
	void callbackUrlThatIsNotAnAbsoluteHttpUrlIsRefused(String url) {
		ChatCompletionRequest request = valid().klusterOptions(KlusterOptions.builder().callbackUrl(url).build())
			.build();
		assertThat(refusal(this.validator, request).paths())
			.containsExactly("metadata[\"@kluster.ai\"].callback_url");
	}

	@Test
	void klusterOptionsAsAFreeFormMetadataEntryAreRefused() {
		ChatCompletionRequest request = valid().metadata(Map.of("@kluster.ai", "{\"async\":true}")).build();
		KlusterValidationException ex = refusal(this.validator, request);
		assertThat(ex.violations()).singleElement().satisfies((violation) -> {
			assertThat(violation.path()).isEqualTo("metadata[\"@kluster.ai\"]");
			assertThat(violation.hint()).contains("klusterOptions");
		});
	}

	@Test
	void modelIsRequiredAndMustNotBeBlank() {
		assertThat(refusal(this.validator, valid().model(null).build()).violations()).singleElement()
			.isEqualTo(new Violation("model", "is required", "set kluster.chat.model, or the model of the request"));
		assertThat(refusal(this.validator, valid().model(" \t").build()).violations()).singleElement()
			.isEqualTo(new Violation("model", "must not be blank", "set kluster.chat.model, or the model of the request"));
	}

	@Test
	void messagesAreRequiredAndMustNotBeEmpty() {
		assertThat(refusal(this.validator, valid().messages(null).build()).violations()).singleElement()
			.isEqualTo(new Violation("messages", "is required", null));
		assertThat(refusal(this.validator, valid().messages(List.of()).build()).violations()).singleElement()
			.isEqualTo(new Violation("messages", "must not be empty", null));
	}

	@Test
	void developerRoleIsRefusedWithAHintToUseASystemMessage() {
		ChatCompletionRequest request = valid().message(ChatMessage.builder(Role.DEVELOPER).content("Be brief").build())
			.build();
		assertThat(refusal(this.validator, request).violations()).singleElement()
			.isEqualTo(new Violation("messages[2].role", "must be system, user or assistant, was developer",
					"use a system message"));
	}

	@Test
	void functionRoleIsRefused() {
		ChatCompletionRequest request = valid().message(ChatMessage.builder(Role.FUNCTION).content("{}").build())
			.build();
		assertThat(refusal(this.validator, request).paths()).containsExactly("messages[2].role");
	}

	@Test
	void toolRoleIsRefusedWhileToolsAreUnsupported() {
		ChatCompletionRequest request = valid().message(toolMessage()).build();
		KlusterValidationException ex = refusal(this.validator, request);
		assertThat(ex.violations()).singleElement().satisfies((violation) -> {
			assertThat(violation.path()).isEqualTo("messages[2].role");
			assertThat(violation.hint()).contains("kluster.validation.allowed-parameters");
		});
	}

	@Test
	void systemAndUserMessagesNeedContent() {
		assertThat(refusal(this.validator, request(ChatMessage.builder(Role.USER).build())).violations())
			.singleElement()
			.isEqualTo(new Violation("messages[0].content", "is required in user messages", null));
		assertThat(refusal(this.validator, request(ChatMessage.builder(Role.SYSTEM).content(List.of()).build()))
			.paths()).containsExactly("messages[0].content");
		assertAccepted(request(ChatMessage.builder(Role.USER).content(List.of(ContentPart.text("Hi"))).build()));
	}

	@Test
	void assistantMessageWithoutContentIsAccepted() {
		assertAccepted(valid().message(ChatMessage.builder(Role.ASSISTANT).build()).build());
	}

	@Test
	void dropModeRemovesUnsupportedParametersAndWarnsOncePerPath(CapturedOutput output) {
		KlusterRequestValidator dropping = new KlusterRequestValidator(
				ValidationPolicy.defaults().withMode(ValidationMode.DROP));
		ChatCompletionRequest request = valid().n(2)
			.maxTokens(100)
			.tools(List.of())
			.temperature(0.3)
			.extraBody("service_tier", "flex")
			.extraBody("repetition_penalty", 1.1)
			.message(ChatMessage.builder(Role.ASSISTANT).content("Earlier").name("Bot").refusal("No").build())
			.build();
		ChatCompletionRequest sent = dropping.validate(request);
		assertThat(sent.n()).isNull();
		assertThat(sent.maxTokens()).isNull();
		assertThat(sent.tools()).isNull();
		assertThat(sent.temperature()).isEqualTo(0.3);
		assertThat(sent.extraBody()).containsOnlyKeys("repetition_penalty");
		assertThat(sent.messages()).hasSize(3);
		assertThat(sent.messages().get(0)).isSameAs(request.messages().get(0));
		ChatMessage cleaned = sent.messages().get(2);
		assertThat(cleaned.name()).isNull();
		assertThat(cleaned.refusal()).isNull();
		assertThat(cleaned.text()).isEqualTo("Earlier");
		assertThat(this.validator.validate(sent)).isSameAs(sent);
		assertThat(request.n()).isEqualTo(2);
		assertThat(output).contains("Dropped max_tokens from the request to kluster.ai")
			.contains("Dropped n ")
			.contains("Dropped tools ")
			.contains("Dropped service_tier ")
			.contains("Dropped messages[2].name ")
			.contains("Dropped messages[2].refusal ");
		assertThat(output.toString().lines().filter((line) -> line.contains("Dropped"))).hasSize(6)
			.allSatisfy((line) -> assertThat(line).contains("WARN"));
	}

	@Test
	void dropModeStillRefusesValuesOutOfRange() {
		KlusterRequestValidator dropping = new KlusterRequestValidator(
				ValidationPolicy.defaults().withMode(ValidationMode.DROP));
		KlusterValidationException ex = refusal(dropping, valid().n(2).temperature(9.0).build());
		assertThat(ex.paths()).containsExactly("temperature");
	}

	@Test
	void dropModeReturnsTheSameInstanceWhenNothingIsDropped() {
		KlusterRequestValidator dropping = new KlusterRequestValidator(
				ValidationPolicy.defaults().withMode(ValidationMode.DROP));
		ChatCompletionRequest request = valid().temperature(1.0).build();
		assertThat(dropping.validate(request)).isSameAs(request);
	}

	@Test
	void offModeSendsTheRequestUntouched() {
		KlusterRequestValidator off = new KlusterRequestValidator(
				ValidationPolicy.defaults().withMode(ValidationMode.OFF));
		ChatCompletionRequest request = valid().model(null)
			.n(2)
			.temperature(9.0)
			.message(ChatMessage.builder(Role.DEVELOPER).content("x").name("Ada").build())
			.build();
		assertThat(off.validate(request)).isSameAs(request);
	}

	@Test
	void policyThatAllowsToolsAcceptsToolsAndToolMessages() {
		KlusterRequestValidator allowing = new KlusterRequestValidator(ValidationPolicy.defaults().allowing("tools"));
		ChatCompletionRequest request = valid().tools(List.of(WEATHER_TOOL)).message(toolMessage()).build();
		assertThat(allowing.validate(request)).isSameAs(request);
		assertThat(refusal(allowing, valid().message(ChatMessage.builder(Role.FUNCTION).content("{}").build()).build())
			.violations()
			.get(0)
			.message()).isEqualTo("must be system, user, assistant or tool, was function");
	}

	@Test
	void policyThatAddsSeedRefusesSeed() {
		KlusterRequestValidator refusing = new KlusterRequestValidator(ValidationPolicy.defaults().refusing("seed"));
		assertThat(refusal(refusing, valid().seed(7L).build()).paths()).containsExactly("seed");
		assertAccepted(refusing, valid().build());
	}

	@Test
	void valueRulesOfAParameterThePolicyRefusesAreNotRepeated() {
		KlusterRequestValidator refusing = new KlusterRequestValidator(
				ValidationPolicy.defaults().refusing("temperature"));
		KlusterValidationException ex = refusal(refusing, valid().temperature(9.0).build());
		assertThat(ex.violations()).singleElement()
			.satisfies((violation) -> assertThat(violation.message()).isEqualTo("is not supported by kluster.ai"));
	}

	@Test
	void configuredNameWithoutATypedFieldIsMatchedAgainstExtraBody() {
		ValidationPolicy policy = new ValidationPolicy(ValidationMode.REJECT, Set.of("foo"),
				Set.of(), Map.of("foo", "use bar"));
		KlusterRequestValidator refusing = new KlusterRequestValidator(policy);
		assertThat(refusal(refusing, valid().extraBody("foo", 1).build()).violations()).singleElement()
			.isEqualTo(new Violation("foo", "is not supported by kluster.ai", "use bar"));
		assertAccepted(refusing, valid().n(2).extraBody("bar", 1).build());
	}

	@Test
	void dropModeRemovesAConfiguredNameFromExtraBody() {
		ValidationPolicy policy = ValidationPolicy.defaults().refusing("foo").withMode(ValidationMode.DROP);
		ChatCompletionRequest sent = new KlusterRequestValidator(policy)
			.validate(valid().extraBody("foo", 1).extraBody("bar", 2).build());
		assertThat(sent.extraBody()).containsOnlyKeys("bar");
	}

	// How much validation allocates is the benchmark's to measure (-Pbenchmarks): a byte
	// count here depended on the JIT and the JVM. What the validator must do is not copy.
	@Test
	void validRequestWithManyParametersIsPassedOnAsIs() {
		ChatCompletionRequest request = valid().temperature(0.7)
			.topP(0.9)
			.logprobs(true)
			.topLogprobs(2)
			.maxCompletionTokens(10)
			.stop("###")
			.message(ChatMessage.assistant("Hello"))
			.build();
		assertThat(this.validator.validate(request)).isSameAs(request);
		assertThat(this.validator.validate(request)).isSameAs(request);
	}

	private void assertAccepted(ChatCompletionRequest request) {
		assertAccepted(this.validator, request);
	}

	private static void assertAccepted(RequestValidator validator, ChatCompletionRequest request) {
		assertThat(validator.validate(request)).isSameAs(request);
	}

	private static KlusterValidationException refusal(RequestValidator validator, ChatCompletionRequest request) {
		Throwable thrown = catchThrowable(() -> validator.validate(request));
		assertThat(thrown).isInstanceOf(KlusterValidationException.class);
		return (KlusterValidationException) thrown;
	}

	private static ChatCompletionRequest.Builder valid() {
		return ChatCompletionRequest.builder().model(MODEL).message(ChatMessage.system("Be brief."),
				ChatMessage.user("Hi"));
	}

	private static ChatCompletionRequest request(ChatMessage message) {
		return ChatCompletionRequest.builder().model(MODEL).message(message).build();
	}

	private static ChatMessage toolMessage() {
		return ChatMessage.builder(Role.TOOL).content("{\"celsius\":21}").toolCallId("call_1").build();
	}

}
