package dev.kluster.docs.springai;

import java.util.Map;

import dev.kluster.boot.ai.KlusterChatOptions;
import dev.kluster.boot.model.KlusterOptions;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;

/**
 * The snippets of spring-ai.md that use a {@link ChatClient}; run by
 * {@link SpringAiSnippetsTests}.
 */
class SpringAiSnippets {

	private final ChatClient chatClient;

	SpringAiSnippets(ChatClient chatClient) {
		this.chatClient = chatClient;
	}

	ChatResponse portableOptions(String text) {
		// tag::spring-ai-portable-options[]
		ChatResponse response = chatClient.prompt()
			.system("Summarize in three sentences.")
			.user(text)
			.options(ChatOptions.builder()
				.model("klusterai/Meta-Llama-3.3-70B-Instruct-Turbo")
				.temperature(0.2)
				.maxTokens(300))                          // sent as max_completion_tokens
			.call()
			.chatResponse();
		Usage usage = response.getMetadata().getUsage();              // prompt and completion tokens
		String finishReason = response.getResult().getMetadata().getFinishReason();   // "stop", "length"
		// end::spring-ai-portable-options[]
		return response;
	}

	String klusterOptions(String text) {
		// tag::spring-ai-kluster-options[]
		String answer = chatClient.prompt()
			.user(text)
			.options(KlusterChatOptions.builder()
				.temperature(0.2)
				.seed(42L)
				.user("customer-17")
				.metadata(Map.of("team", "support"))
				.klusterOptions(KlusterOptions.builder().strictCompletionWindow(true).build()))
			.call()
			.content();
		// end::spring-ai-kluster-options[]
		return answer;
	}

}
