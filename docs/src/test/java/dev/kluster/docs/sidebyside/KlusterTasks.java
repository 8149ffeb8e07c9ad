package dev.kluster.docs.sidebyside;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.Usage;

/**
 * The most common tasks with the starter, shown in getting-started.md beside the same
 * tasks with Spring AI ({@link SpringAiTasks}) and openai-java ({@link OpenAiJavaTasks}).
 */
class KlusterTasks {

	private final KlusterChatClient kluster;

	KlusterTasks(KlusterChatClient kluster) {
		this.kluster = kluster;
	}

	Mono<String> ask(String question) {
		// tag::kluster-ask[]
		Mono<String> answer = kluster.chat(question);
		// end::kluster-ask[]
		return answer;
	}

	Mono<ChatCompletion> request(String text) {
		// tag::kluster-request[]
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.model("klusterai/Meta-Llama-3.3-70B-Instruct-Turbo")
			.message(ChatMessage.system("Summarize in three sentences."), ChatMessage.user(text))
			.temperature(0.2)
			.maxCompletionTokens(300)
			.build();
		Mono<ChatCompletion> completion = kluster.chat(request);
		// end::kluster-request[]
		return completion;
	}

	Mono<ChatCompletionRequest> multiTurn(ChatCompletionRequest request, String next) {
		// tag::kluster-multi-turn[]
		Mono<ChatCompletionRequest> followUp = kluster.chat(request)
			.map(completion -> request.toBuilder()
				.message(completion.message(), ChatMessage.user(next))
				.build());
		// end::kluster-multi-turn[]
		return followUp;
	}

	String finishAndUsage(ChatCompletion completion) {
		// tag::kluster-finish-usage[]
		String finishReason = completion.finishReason();
		Usage usage = completion.usage();
		// end::kluster-finish-usage[]
		return finishReason + " " + usage.totalTokens();
	}

	Flux<String> stream(ChatCompletionRequest request) {
		// tag::kluster-stream[]
		Flux<String> text = kluster.streamText(request);
		// end::kluster-stream[]
		return text;
	}

}
