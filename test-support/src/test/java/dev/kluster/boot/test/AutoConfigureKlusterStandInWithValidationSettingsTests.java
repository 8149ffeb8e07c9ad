package dev.kluster.boot.test;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Configuration;

import dev.kluster.boot.test.StandInClient.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AutoConfigureKlusterStandIn} in an application whose
 * {@code kluster.validation.*} settings differ from the defaults.
 */
@SpringBootTest(classes = AutoConfigureKlusterStandInWithValidationSettingsTests.EmptyConfiguration.class,
		webEnvironment = WebEnvironment.NONE,
		properties = { "kluster.validation.allowed-parameters=tools,tool_choice,messages[].tool_calls",
				"kluster.validation.mode=off" })
@AutoConfigureKlusterStandIn
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoConfigureKlusterStandInWithValidationSettingsTests {

	static final String WITH_TOOLS = """
			{"model": "klusterai/Meta-Llama-3.3-70B-Instruct-Turbo",
			 "messages": [
				{"role": "user", "content": "Weather in Paris?"},
				{"role": "assistant", "content": null,
				 "tool_calls": [{"id": "c1", "type": "function",
					"function": {"name": "current_weather", "arguments": "{}"}}]},
				{"role": "tool", "tool_call_id": "c1", "content": "Sunny"}
			 ],
			 "tools": [{"type": "function", "function": {"name": "current_weather"}}],
			 "tool_choice": "auto"}""";

	@Autowired
	private KlusterStandIn standIn;

	private Reply post(String body) {
		return new StandInClient(this.standIn.baseUrl()).post("/chat/completions", body);
	}

	@Test
	@Order(1)
	void answersTheFieldsTheApplicationAllows() {
		this.standIn.answer("It is sunny.");
		Reply reply = post(WITH_TOOLS);
		assertThat(reply.status()).as(reply.body()).isEqualTo(200);
		assertThat(reply.json().path("choices").path(0).path("message").path("content").asString())
			.isEqualTo("It is sunny.");
	}

	@Test
	@Order(2)
	void refusesTheOtherDefaultsEvenWithValidationOff() {
		Reply reply = post(WITH_TOOLS.replace("\"tool_choice\"", "\"parallel_tool_calls\": true, \"tool_choice\""));
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.json().path("error").path("param").asString()).isEqualTo("parallel_tool_calls");
	}

	@Test
	@Order(3)
	void acceptsMoreFieldsForOneTest() {
		this.standIn.accept("parallel_tool_calls");
		Reply reply = post(WITH_TOOLS.replace("\"tool_choice\"", "\"parallel_tool_calls\": true, \"tool_choice\""));
		assertThat(reply.status()).isEqualTo(200);
	}

	@Test
	@Order(4)
	void resetReturnsToTheApplicationsSettingsNotToTheDefaults() {
		assertThat(post(WITH_TOOLS).status()).isEqualTo(200);
		assertThat(post(WITH_TOOLS.replace("\"tool_choice\"", "\"parallel_tool_calls\": true, \"tool_choice\""))
			.status()).isEqualTo(400);
	}

	/**
	 * An application that replaces a list.
	 */
	@Nested
	@SpringBootTest(classes = EmptyConfiguration.class, webEnvironment = WebEnvironment.NONE,
			properties = { "kluster.validation.unsupported-request-parameters=seed",
					"kluster.validation.unsupported-message-parameters=",
					"kluster.validation.unsupported-embedding-parameters=user" })
	class WithReplacedLists {

		@Autowired
		private KlusterStandIn replacedListsStandIn;

		@Test
		void refusesWhatTheListsNameAndNothingElse() {
			StandInClient client = new StandInClient(this.replacedListsStandIn.baseUrl());
			Reply seed = client.post("/chat/completions", """
					{"model": "deepseek-ai/DeepSeek-R1", "seed": 7,
					 "messages": [{"role": "user", "content": "hi"}]}""");
			assertThat(seed.status()).isEqualTo(400);
			assertThat(seed.json().path("error").path("param").asString()).isEqualTo("seed");
			Reply maxTokensAndName = client.post("/chat/completions", """
					{"model": "deepseek-ai/DeepSeek-R1", "max_tokens": 5,
					 "messages": [{"role": "user", "content": "hi", "name": "ann"}]}""");
			assertThat(maxTokensAndName.status()).as(maxTokensAndName.body()).isEqualTo(200);
		}

		@Test
		void refusesTheEmbeddingFieldsTheListNames() {
			StandInClient client = new StandInClient(this.replacedListsStandIn.baseUrl());
			Reply user = client.post("/embeddings", "{\"model\": \"m\", \"input\": \"hi\", \"user\": \"u\"}");
			assertThat(user.status()).isEqualTo(400);
			assertThat(user.json().path("error").path("param").asString()).isEqualTo("user");
			Reply dimensions = client.post("/embeddings", "{\"model\": \"m\", \"input\": \"hi\", \"dimensions\": 4}");
			assertThat(dimensions.status()).as(dimensions.body()).isEqualTo(200);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EmptyConfiguration {

	}

}
