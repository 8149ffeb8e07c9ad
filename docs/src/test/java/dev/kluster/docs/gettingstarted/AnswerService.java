package dev.kluster.docs.gettingstarted;

// tag::answer-service[]
import dev.kluster.boot.client.KlusterChatClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

@Service
public class AnswerService {

	private final KlusterChatClient kluster;

	public AnswerService(KlusterChatClient kluster) {
		this.kluster = kluster;
	}

	public Mono<String> answer(String question) {
		return kluster.chat(question);
	}
}
// end::answer-service[]
