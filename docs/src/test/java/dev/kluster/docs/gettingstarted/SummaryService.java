package dev.kluster.docs.gettingstarted;

// tag::summary-service[]
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

@Service
public class SummaryService {

	private final KlusterChatClient kluster;

	public SummaryService(KlusterChatClient kluster) {
		this.kluster = kluster;
	}

	public Mono<String> summarize(String text) {
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.model("klusterai/Meta-Llama-3.3-70B-Instruct-Turbo")
			.message(
				ChatMessage.system("Summarize the user's text in three sentences."),
				ChatMessage.user(text))
			.temperature(0.2)
			.maxCompletionTokens(300)
			.build();
		return kluster.chat(request)
			.doOnNext(completion -> System.out.println(
				"finish_reason=" + completion.finishReason() + ", usage=" + completion.usage()))
			.map(ChatCompletion::text);
	}
}
// end::summary-service[]
