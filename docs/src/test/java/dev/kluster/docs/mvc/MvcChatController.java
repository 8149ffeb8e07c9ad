package dev.kluster.docs.mvc;

// tag::mvc-controller[]
import dev.kluster.boot.client.KlusterChatClient;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

@RestController
class MvcChatController {

	// Sent as JSON, because a browser drops the space after "data:", and pieces of text often start with one.
	record Piece(String text) {
	}

	private final KlusterChatClient kluster;

	MvcChatController(KlusterChatClient kluster) {
		this.kluster = kluster;
	}

	// A plain blocking call: with spring.threads.virtual.enabled=true, Tomcat runs it on a
	// virtual thread, which waiting for the answer does not tie up.
	@GetMapping("/answer")
	String answer(@RequestParam String question) {
		return kluster.chat(question).block();
	}

	// Spring MVC subscribes to the Flux and writes each event as it arrives: no thread waits for the end.
	@GetMapping(path = "/answer/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<Piece>> stream(@RequestParam String question) {
		return kluster.stream(question)
			.map(text -> ServerSentEvent.builder(new Piece(text)).event("text").build());
	}
}
// end::mvc-controller[]
