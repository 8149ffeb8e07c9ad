package dev.kluster.docs.testing;

// tag::testing-allowed-tools[]
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.ToolDefinition;
import dev.kluster.boot.test.AutoConfigureKlusterStandIn;
import dev.kluster.boot.test.KlusterStandIn;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(properties = "kluster.validation.allowed-parameters=tools,tool_choice")
@AutoConfigureKlusterStandIn
class WeatherToolTests {

	@Autowired
	KlusterChatClient kluster;

	@Autowired
	KlusterStandIn standIn;

	@Test
	void offersTheWeatherToolToTheModel() {
		standIn.answer("Sunny, 21 °C.");
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.model("klusterai/Meta-Llama-3.3-70B-Instruct-Turbo")
			.message(ChatMessage.user("What is the weather in Lisbon?"))
			.tools(List.of(ToolDefinition.function(new ToolDefinition.FunctionDefinition(
					"current_weather", "Current weather in a city", Map.of("type", "object"), null))))
			.toolChoice("auto")
			.build();

		String reply = kluster.chat(request).map(ChatCompletion::text).block(Duration.ofSeconds(5));

		assertThat(reply).isEqualTo("Sunny, 21 °C.");
		assertThat(standIn.lastRequest().json().at("/tools/0/function/name").asString())
			.isEqualTo("current_weather");
	}

}
// end::testing-allowed-tools[]
