package dev.kluster.docs.testing;

import dev.kluster.boot.client.KlusterChatClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * The service that testing.md's example tests.
 */
@Service
class SupportBot {

	private final KlusterChatClient kluster;

	SupportBot(KlusterChatClient kluster) {
		this.kluster = kluster;
	}

	Mono<String> answer(String question) {
		return this.kluster.chat(question);
	}

}
