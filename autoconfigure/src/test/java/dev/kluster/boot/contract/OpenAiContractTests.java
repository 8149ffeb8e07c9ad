package dev.kluster.boot.contract;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link OpenAiContract}.
 */
class OpenAiContractTests {

	private static final String MINIMAL = """
			{"model":"m","messages":[{"role":"user","content":"hi"}]}""";

	@Test
	void minimalRequestIsValid() {
		assertThatCode(() -> OpenAiContract.assertValidChatCompletionRequest(MINIMAL)).doesNotThrowAnyException();
		assertThat(OpenAiContract.validate("CreateChatCompletionRequest", MINIMAL)).isEmpty();
	}

	@Test
	void requestWithTextAndImageContentPartsIsValid() {
		String json = """
				{"model":"m","messages":[{"role":"user","content":[
				  {"type":"text","text":"What is in this image?"},
				  {"type":"image_url","image_url":{"url":"https://example.com/cat.png","detail":"auto"}}]}]}""";
		assertThatCode(() -> OpenAiContract.assertValidChatCompletionRequest(json)).doesNotThrowAnyException();
	}

	@Test
	void klusterMetadataExtensionIsAccepted() {
		String json = """
				{"model":"m","messages":[{"role":"user","content":"hi"}],
				 "metadata":{"app":"x","@kluster.ai":{"async":true,"completion_window":"24h"}}}""";
		assertThatCode(() -> OpenAiContract.assertValidChatCompletionRequest(json)).doesNotThrowAnyException();
		// Only because the extension is removed: OpenAI's metadata values are strings.
		assertThat(OpenAiContract.validate("CreateChatCompletionRequest", json))
			.anySatisfy((error) -> assertThat(error).startsWith("/metadata/@kluster.ai: "));
	}

	@Test
	void otherMetadataIsStillValidatedNextToTheKlusterExtension() {
		String json = """
				{"model":"m","messages":[{"role":"user","content":"hi"}],
				 "metadata":{"app":1,"@kluster.ai":{"async":true}}}""";
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> OpenAiContract.assertValidChatCompletionRequest(json))
			.withMessageContaining("/metadata/app: ")
			.withMessageNotContaining("/metadata/@kluster.ai");
	}

	@Test
	void requestWithoutMessagesFailsNamingIt() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> OpenAiContract.assertValidChatCompletionRequest("{\"model\":\"m\"}"))
			.withMessageContaining("CreateChatCompletionRequest")
			.withMessageContaining("(root): required property 'messages' not found");
	}

	@Test
	void temperatureThatIsNotANumberFails() {
		String json = """
				{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""";
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> OpenAiContract.assertValidChatCompletionRequest(json))
			.withMessageContaining("/temperature: string found, number expected");
	}

	@Test
	void unknownRoleFails() {
		String json = """
				{"model":"m","messages":[{"role":"wizard","content":"hi"}]}""";
		List<String> errors = OpenAiContract.validate("CreateChatCompletionRequest", json);
		assertThat(errors).anySatisfy((error) -> assertThat(error).startsWith("/messages/0: ").contains("oneOf"));
		assertThat(errors).anySatisfy((error) -> assertThat(error).startsWith("/messages/0/role: ").contains("\"user\""));
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> OpenAiContract.assertValidChatCompletionRequest(json))
			.withMessageContaining("/messages/0/role: ");
	}

	@Test
	void stopAsArrayOfStringsIsValid() {
		String json = """
				{"model":"m","messages":[{"role":"user","content":"hi"}],"stop":["\\n","END"]}""";
		assertThatCode(() -> OpenAiContract.assertValidChatCompletionRequest(json)).doesNotThrowAnyException();
	}

	@Test
	void stopWithMoreThanFourSequencesFails() {
		String json = """
				{"model":"m","messages":[{"role":"user","content":"hi"}],"stop":["a","b","c","d","e"]}""";
		assertThat(OpenAiContract.validate("CreateChatCompletionRequest", json))
			.anySatisfy((error) -> assertThat(error).startsWith("/stop: ").contains("maxItems"));
	}

	@Test
	void nullIsAcceptedWhereTheDocumentSaysNullableOnly() {
		String nullMaxTokens = """
				{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":null,"stop":null}""";
		assertThatCode(() -> OpenAiContract.assertValidChatCompletionRequest(nullMaxTokens))
			.doesNotThrowAnyException();
		assertThat(OpenAiContract.validate("CreateChatCompletionRequest", """
				{"model":"m","messages":null}"""))
			.anySatisfy((error) -> assertThat(error).startsWith("/messages: "));
	}

	@Test
	void listModelsResponseIsValid() {
		String json = """
				{"object":"list","data":[
				  {"id":"klusterai/Meta-Llama-3.3-70B-Instruct-Turbo","object":"model","created":1731336418,"owned_by":"klusterai"},
				  {"id":"deepseek-ai/DeepSeek-R1","object":"model","created":1737385699,"owned_by":"klusterai"}]}""";
		assertThat(OpenAiContract.validate("ListModelsResponse", json)).isEmpty();
	}

	@Test
	void listModelsResponseWithoutOwnerFails() {
		String json = """
				{"object":"list","data":[{"id":"m","object":"model","created":1731336418}]}""";
		assertThat(OpenAiContract.validate("ListModelsResponse", json))
			.containsExactly("/data/0: required property 'owned_by' not found [required at /properties/data/items/$ref/required]");
	}

	@Test
	void unknownSchemaNameIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> OpenAiContract.validate("NoSuchSchema", "{}"))
			.withMessageContaining("NoSuchSchema");
	}

	@Test
	void invalidJsonFails() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> OpenAiContract.assertValidChatCompletionRequest("{\"model\":"))
			.withMessageStartingWith("Body is not valid JSON");
	}

	@Test
	void contractIsReadFromTheTestClasspathWithItsLicenceAndOrigin() throws Exception {
		OpenAiContract.validate("ListModelsResponse", "{\"object\":\"list\",\"data\":[]}");
		assertThat(OpenAiContract.contractLocation().toString()).endsWith("/" + OpenAiContract.CONTRACT_RESOURCE)
			.doesNotContain("shared/");
		assertThat(OpenAiContract.loadTime()).isPositive();
		assertThat(resourceText("contracts/LICENSE-openai-openapi")).contains("The MIT License")
			.contains("Copyright (c) OpenAI");
		assertThat(resourceText("contracts/README.md")).contains("openai/openai-openapi")
			.contains("f85dbe2")
			.contains("extract-schemas.py");
	}

	@Test
	void everySchemaReferenceInTheContractResolvesInsideIt() throws Exception {
		JsonNode schemas = YAMLMapper.builder()
			.build()
			.readTree(resourceText(OpenAiContract.CONTRACT_RESOURCE))
			.path("components")
			.path("schemas");
		List<String> references = new ArrayList<>();
		collectReferences(schemas, references);
		assertThat(references).isNotEmpty()
			.allSatisfy((reference) -> assertThat(reference).startsWith("#/components/schemas/"))
			.allSatisfy((reference) -> assertThat(schemas.has(reference.substring("#/components/schemas/".length())))
				.as(reference)
				.isTrue());
		assertThat(schemas.propertyNames()).contains("CreateChatCompletionRequest", "CreateChatCompletionResponse",
				"CreateChatCompletionStreamResponse", "ListModelsResponse", "ErrorResponse");
	}

	private static void collectReferences(JsonNode node, List<String> references) {
		if (node.isObject() && node.path("$ref").isString()) {
			references.add(node.get("$ref").asString());
		}
		for (JsonNode child : node) {
			collectReferences(child, references);
		}
	}

	private static String resourceText(String name) throws Exception {
		try (InputStream in = OpenAiContractTests.class.getClassLoader().getResourceAsStream(name)) {
			assertThat(in).as(name + " on the test classpath").isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
