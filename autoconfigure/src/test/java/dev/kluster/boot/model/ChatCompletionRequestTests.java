package dev.kluster.boot.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ChatCompletionRequest} and {@link ChatMessage}: what goes on the wire,
 * immutability and the builders.
 */
class ChatCompletionRequestTests {

	private final JsonMapper jsonMapper = JsonMapper.shared();

	private JsonNode json(Object value) {
		return this.jsonMapper.readTree(this.jsonMapper.writeValueAsString(value));
	}

	@Test
	void onlySetFieldsAreWrittenByTheirWireNamesWithMetadataAndExtraBody() {
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.model("m")
			.message(ChatMessage.system("Be brief."), ChatMessage.user(ContentPart.text("What is this?")))
			.temperature(0.2)
			.maxCompletionTokens(64)
			.logitBias(Map.of("50256", -100))
			.metadata(Map.of("team", "search"))
			.klusterOptions(KlusterOptions.builder().async(true).build())
			.extraBody("top_k", 40)
			.build();
		JsonNode body = json(request);
		assertThat(body.propertyNames()).containsExactlyInAnyOrder("model", "messages", "temperature", "max_completion_tokens",
				"logit_bias", "metadata", "top_k");
		assertThat(body.get("metadata").get("team").asString()).isEqualTo("search");
		assertThat(body.get("metadata").get("@kluster.ai").get("async").asBoolean()).isTrue();
		assertThat(body.get("top_k").asInt()).isEqualTo(40);
		assertThat(body.get("messages").get(0).propertyNames()).containsExactly("role", "content");
		assertThat(body.get("messages").get(0).get("content").asString()).isEqualTo("Be brief.");
		assertThat(body.get("messages").get(1).get("content").get(0).get("text").asString())
			.isEqualTo("What is this?");
	}

	@Test
	void metadataIsWrittenAsSetWhenThereAreNoKlusterOptions() {
		ChatCompletionRequest request = ChatCompletionRequest.builder().metadata(Map.of("team", "search")).build();
		assertThat(request.wireMetadata()).isEqualTo(Map.of("team", "search"));
		assertThat(json(request).get("metadata").propertyNames()).containsExactly("team");
		assertThat(ChatCompletionRequest.builder().build().wireMetadata()).isNull();
	}

	@Test
	void listsAndMapsAreUnmodifiableCopiesOfWhatTheBuilderWasGiven() {
		List<ChatMessage> messages = new ArrayList<>(List.of(ChatMessage.user("Hi")));
		Map<String, Object> extraBody = new LinkedHashMap<>(Map.of("top_k", 40));
		List<ContentPart> parts = new ArrayList<>(List.of(ContentPart.text("Hi")));
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.messages(messages)
			.extraBody(extraBody)
			.message(ChatMessage.builder(Role.USER).content(parts).build())
			.build();
		messages.add(ChatMessage.user("Later"));
		extraBody.put("min_p", 0.1);
		parts.add(ContentPart.text("Later"));
		assertThat(request.messages()).hasSize(2);
		assertThat(request.extraBody()).containsOnlyKeys("top_k");
		assertThat(request.messages().get(1).parts()).hasSize(1);
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> request.messages().add(ChatMessage.user("More")));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> request.extraBody().put("min_p", 0.1));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> request.messages().get(1).parts().clear());
	}

	@Test
	void toBuilderCopiesEveryFieldAndLeavesTheOriginalAlone() {
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.model("m")
			.message(ChatMessage.user("Hi"))
			.frequencyPenalty(0.1)
			.presencePenalty(0.2)
			.logitBias(Map.of("1", 2))
			.logprobs(true)
			.topLogprobs(3)
			.maxCompletionTokens(4)
			.seed(5L)
			.stop("END")
			.stream(true)
			.temperature(0.3)
			.topP(0.4)
			.user("u")
			.store(true)
			.maxTokens(6)
			.n(1)
			.modalities(List.of("text"))
			.responseFormat(ResponseFormat.jsonObject())
			.serviceTier("auto")
			.streamOptions(Map.of("include_usage", true))
			.tools(List.of())
			.toolChoice("auto")
			.parallelToolCalls(true)
			.functionCall("auto")
			.functions(List.of())
			.reasoningEffort("low")
			.verbosity("low")
			.webSearchOptions(Map.of("search_context_size", "low"))
			.audio(Map.of("voice", "alloy"))
			.prediction(Map.of("type", "content"))
			.safetyIdentifier("s")
			.promptCacheKey("k")
			.metadata(Map.of("team", "search"))
			.klusterOptions(KlusterOptions.builder().async(true).build())
			.extraBody("top_k", 40)
			.build();
		ChatCompletionRequest copy = request.toBuilder().build();
		assertThat(copy).isEqualTo(request).hasSameHashCodeAs(request);
		assertThat(json(copy)).isEqualTo(json(request));
		ChatCompletionRequest changed = request.toBuilder().temperature(1.0).message(ChatMessage.user("More")).build();
		assertThat(changed).isNotEqualTo(request);
		assertThat(request.temperature()).isEqualTo(0.3);
		assertThat(request.messages()).hasSize(1);
		assertThat(changed.messages()).hasSize(2);
	}

	@Test
	void toStringNamesTheShapeAndNotTheContent() {
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.model("m")
			.message(ChatMessage.user("a private and very long question"))
			.build();
		assertThat(request).hasToString("ChatCompletionRequest[model=m, messages=1, stream=null]");
	}

	@Test
	void messageToStringShowsTheStartOfLongContentOnly() {
		assertThat(ChatMessage.user("Hi")).hasToString("ChatMessage[role=user, content=Hi]");
		assertThat(ChatMessage.user("x".repeat(5000)))
			.hasToString("ChatMessage[role=user, content=" + "x".repeat(100) + "... (5000 chars)]");
		assertThat(ChatMessage.user(ContentPart.text("What is this?"), ContentPart.imageUrl("data:image/png;base64,AAAA")))
			.hasToString("ChatMessage[role=user, content=2 parts]");
	}

	@Test
	void contentIsTextOrPartsWhicheverWasSetLast() {
		ChatMessage text = ChatMessage.builder(Role.USER).content(List.of(ContentPart.text("a"))).content("b").build();
		assertThat(text.text()).isEqualTo("b");
		assertThat(text.parts()).isNull();
		assertThat(json(text).get("content").asString()).isEqualTo("b");
		ChatMessage parts = text.toBuilder().content(List.of(ContentPart.text("c"))).build();
		assertThat(parts.text()).isNull();
		assertThat(json(parts).get("content").get(0).get("text").asString()).isEqualTo("c");
		assertThat(json(parts).propertyNames()).containsExactly("role", "content");
	}

	@Test
	void messageWithoutARoleIsRefused() {
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> ChatMessage.builder(null).build())
			.withMessage("role must not be null");
	}

}
