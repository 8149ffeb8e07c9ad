package dev.kluster.boot.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import dev.kluster.boot.model.AssistantMessage;
import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionChunk;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.KlusterModel;
import dev.kluster.boot.model.QueuedChatCompletion;
import dev.kluster.boot.model.Role;
import dev.kluster.boot.model.Usage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the default methods of {@link KlusterChatClient}.
 */
class KlusterChatClientTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Test
	void streamTextOfAFullRequestAnswersTheNonEmptyPiecesOfText() {
		StreamingClient client = new StreamingClient(chunk(new AssistantMessage(Role.ASSISTANT, null, null, null, null)),
				chunk(AssistantMessage.of("Bon")), chunk(AssistantMessage.of("")), chunk(AssistantMessage.of("jour")),
				new ChatCompletionChunk("c1", null, null, "m", List.of(), Usage.of(3, 2)));
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.model("m")
			.message(ChatMessage.system("Answer in French."), ChatMessage.user("Hello"))
			.temperature(0.2)
			.build();
		StepVerifier.create(client.streamText(request)).expectNext("Bon", "jour").expectComplete().verify(TIMEOUT);
		assertThat(client.requests).containsExactly(request);
	}

	private static ChatCompletionChunk chunk(AssistantMessage delta) {
		return new ChatCompletionChunk("c1", null, null, "m", List.of(new ChatCompletionChunk.Choice(0, delta, null,
				(Map<String, Object>) null)), null);
	}

	/**
	 * A client whose stream answers the given chunks and records its requests.
	 */
	private static final class StreamingClient implements KlusterChatClient {

		private final List<ChatCompletionChunk> chunks;

		private final List<ChatCompletionRequest> requests = new ArrayList<>();

		StreamingClient(ChatCompletionChunk... chunks) {
			this.chunks = List.of(chunks);
		}

		@Override
		public Flux<ChatCompletionChunk> stream(ChatCompletionRequest request) {
			this.requests.add(request);
			return Flux.fromIterable(this.chunks);
		}

		@Override
		public Mono<ChatCompletion> chat(ChatCompletionRequest request) {
			return Mono.error(new UnsupportedOperationException());
		}

		@Override
		public Mono<String> chat(String prompt) {
			return Mono.error(new UnsupportedOperationException());
		}

		@Override
		public Flux<String> stream(String prompt) {
			return Flux.error(new UnsupportedOperationException());
		}

		@Override
		public Flux<KlusterModel> models() {
			return Flux.error(new UnsupportedOperationException());
		}

		@Override
		public Mono<QueuedChatCompletion> submitAsync(ChatCompletionRequest request) {
			return Mono.error(new UnsupportedOperationException());
		}

	}

}
