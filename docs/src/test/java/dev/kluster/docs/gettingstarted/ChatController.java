package dev.kluster.docs.gettingstarted;

// tag::sse-controller[]
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.error.KlusterException;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

@RestController
class ChatController {

	// Sent as JSON, because a browser drops the space after "data:", and pieces of text often start with one.
	record Piece(String text) {
	}

	private final KlusterChatClient kluster;

	ChatController(KlusterChatClient kluster) {
		this.kluster = kluster;
	}

	// Each piece of text becomes one event: data:{"text":"Hello"}, data:{"text":" world"}, ...
	@GetMapping(path = "/chat", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<Piece> chat(@RequestParam String question) {
		return kluster.stream(question).map(Piece::new);
	}

	// Named events, an end marker, and an error event instead of a broken connection.
	@GetMapping(path = "/chat/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<Piece>> chatEvents(@RequestParam String question) {
		return kluster.stream(question)
			.map(text -> ServerSentEvent.builder(new Piece(text)).event("text").build())
			.concatWithValues(ServerSentEvent.<Piece>builder().event("done").build())
			.onErrorResume(KlusterException.class, ex -> Flux.just(ServerSentEvent
				.builder(new Piece("The answer could not be completed.")).event("error").build()));
	}
}
// end::sse-controller[]
