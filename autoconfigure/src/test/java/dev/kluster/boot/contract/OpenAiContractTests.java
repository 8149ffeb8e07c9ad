package dev.kluster.boot.contract;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
	void missingContractFailsNamingWhereItLooked(@TempDir Path dir) throws Exception {
		Path start = Files.createDirectories(dir.resolve("repo/autoconfigure"));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> OpenAiContract.locateContract(start, null))
			.withMessageContaining(start.resolve(OpenAiContract.CONTRACT_RELATIVE_PATH).toString())
			.withMessageContaining(dir.resolve("repo").resolve(OpenAiContract.CONTRACT_RELATIVE_PATH).toString())
			.withMessageContaining(OpenAiContract.CONTRACTS_DIR_PROPERTY);
	}

	@Test
	void contractIsFoundBesideTheRepository(@TempDir Path dir) throws Exception {
		Path contract = dir.resolve(OpenAiContract.CONTRACT_RELATIVE_PATH);
		Files.createDirectories(contract.getParent());
		Files.writeString(contract, "openapi: 3.1.0\n");
		Path start = Files.createDirectories(dir.resolve("clone/autoconfigure"));
		assertThat(OpenAiContract.locateContract(start, null)).isEqualTo(contract);
	}

	@Test
	void contractsDirectoryPropertyOverridesAndMustBeRight(@TempDir Path dir) throws Exception {
		Path contract = Files.writeString(dir.resolve(OpenAiContract.CONTRACT_FILE_NAME), "openapi: 3.1.0\n");
		Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
		assertThat(OpenAiContract.locateContract(elsewhere, dir.toString())).isEqualTo(contract);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> OpenAiContract.locateContract(dir, elsewhere.toString()))
			.withMessageContaining(elsewhere.resolve(OpenAiContract.CONTRACT_FILE_NAME).toString());
	}

	@Test
	void contractFileAndLoadTimeAreExposed() {
		OpenAiContract.validate("ListModelsResponse", "{\"object\":\"list\",\"data\":[]}");
		assertThat(OpenAiContract.contractFile()).endsWith(Path.of(OpenAiContract.CONTRACT_RELATIVE_PATH));
		assertThat(OpenAiContract.loadTime()).isPositive();
	}

}
