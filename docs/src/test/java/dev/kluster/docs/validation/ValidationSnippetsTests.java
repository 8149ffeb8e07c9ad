package dev.kluster.docs.validation;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.ToolDefinition;
import dev.kluster.boot.test.AutoConfigureKlusterStandIn;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.validation.KlusterValidationException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Runs validation.md's fragments.
 */
@SpringBootTest(classes = ValidationSnippetsTests.Application.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
@AutoConfigureKlusterStandIn
class ValidationSnippetsTests {

	@Autowired
	KlusterStandIn standIn;

	@Autowired
	KlusterChatClient kluster;

	@Test
	void everyViolationIsReportedAtOnceInTheOrderThePageShows() {
		assertThatExceptionOfType(KlusterValidationException.class)
			.isThrownBy(() -> new ValidationSnippets(this.kluster).everyViolationAtOnce().block(Duration.ofSeconds(10)))
			.satisfies((ex) -> {
				assertThat(ex.paths()).containsExactly("max_tokens", "response_format", "messages[1].name",
						"messages[0].role", "temperature", "top_p");
				assertThat(ex.violations().get(0).message()).isEqualTo("is not supported by kluster.ai");
				assertThat(ex.violations().get(0).hint()).isEqualTo("use max_completion_tokens");
			});
		assertThat(this.standIn.requestCount()).isZero();
	}

	@Test
	void toolsAreRefusedByDefaultAndAllowedByThePolicyOfThePage() {
		assertThatExceptionOfType(KlusterValidationException.class)
			.isThrownBy(() -> new ValidationSnippets(this.kluster).tools().block(Duration.ofSeconds(10)))
			.satisfies((ex) -> assertThat(ex.paths()).contains("tools", "tool_choice"));
		ChatCompletionRequest withTools = ChatCompletionRequest.builder()
			.model("klusterai/Meta-Llama-3.3-70B-Instruct-Turbo")
			.message(ChatMessage.user("Weather?"))
			.tools(List.of(ToolDefinition.function(
					new ToolDefinition.FunctionDefinition("current_weather", null, null, null))))
			.toolChoice("auto")
			.build();
		assertThat(ValidationSnippets.allowingTools().validate(withTools)).isNotNull();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
