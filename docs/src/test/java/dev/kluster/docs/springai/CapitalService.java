package dev.kluster.docs.springai;

// tag::spring-ai-service[]
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;

@Service
class CapitalService {

	record Capital(String country, String city) {
	}

	private final ChatClient chatClient;

	CapitalService(ChatModel chatModel) {              // the KlusterChatModel
		this.chatClient = ChatClient.create(chatModel);
	}

	String ask(String question) {
		return chatClient.prompt().user(question).call().content();
	}

	Flux<String> askLive(String question) {
		return chatClient.prompt().user(question).stream().content();
	}

	Capital capitalOf(String country) {              // format instructions go in the prompt
		return chatClient.prompt().user("What is the capital of " + country + "?").call().entity(Capital.class);
	}

}
// end::spring-ai-service[]
