package dev.kluster.docs.sidebyside;

import java.util.ArrayList;
import java.util.List;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.publisher.Flux;

/**
 * The tasks of {@link KlusterTasks} with Spring AI's {@link ChatClient}, written as its
 * reference documentation shows them. Compiled, not run: it would need Spring AI's OpenAI
 * provider pointed at kluster.ai.
 */
class SpringAiTasks {

	private final ChatClient chatClient;

	SpringAiTasks(ChatClient chatClient) {
		this.chatClient = chatClient;
	}

	String ask(String question) {
		// tag::spring-ai-ask[]
		String answer = chatClient.prompt(question).call().content();
		// end::spring-ai-ask[]
		return answer;
	}

	ChatResponse request(String text) {
		// tag::spring-ai-request[]
		ChatResponse response = chatClient.prompt()
			.system("Summarize in three sentences.")
			.user(text)
			.options(ChatOptions.builder()
				.model("klusterai/Meta-Llama-3.3-70B-Instruct-Turbo")
				.temperature(0.2)
				.maxTokens(300))
			.call()
			.chatResponse();
		// end::spring-ai-request[]
		return response;
	}

	Prompt multiTurn(Prompt prompt, String next) {
		// tag::spring-ai-multi-turn[]
		ChatResponse response = chatClient.prompt(prompt).call().chatResponse();
		List<Message> history = new ArrayList<>(prompt.getInstructions());
		history.add(response.getResult().getOutput());
		history.add(new UserMessage(next));
		Prompt followUp = new Prompt(history, prompt.getOptions());
		// end::spring-ai-multi-turn[]
		return followUp;
	}

	String finishAndUsage(ChatResponse response) {
		// tag::spring-ai-finish-usage[]
		String finishReason = response.getResult().getMetadata().getFinishReason();
		Usage usage = response.getMetadata().getUsage();
		// end::spring-ai-finish-usage[]
		return finishReason + " " + usage.getTotalTokens();
	}

	Flux<String> stream(Prompt prompt) {
		// tag::spring-ai-stream[]
		Flux<String> text = chatClient.prompt(prompt).stream().content();
		// end::spring-ai-stream[]
		return text;
	}

}
