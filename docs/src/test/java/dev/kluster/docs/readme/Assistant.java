package dev.kluster.docs.readme;

import dev.kluster.boot.client.KlusterChatClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

// tag::readme-assistant[]
@Service
class Assistant {
	private final KlusterChatClient kluster;
	Assistant(KlusterChatClient kluster) { this.kluster = kluster; }

	Mono<String> ask(String question) { return kluster.chat(question); }          // text out
	Flux<String> askLive(String question) { return kluster.stream(question); }    // streamed text
}
// end::readme-assistant[]
