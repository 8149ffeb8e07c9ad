package dev.kluster.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionChunk;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.KlusterModel;
import dev.kluster.boot.model.Usage;
import org.springframework.aot.hint.annotation.RegisterReflectionForBinding;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The sample's REST endpoints, each a thin layer over the injected
 * {@link KlusterChatClient}. The stream's {@link Token} is registered for binding: the
 * stream's events hold {@code Object}s, so ahead-of-time processing would not find it in
 * the method's signature.
 */
@RegisterReflectionForBinding(ChatController.Token.class)
@RestController
class ChatController {

	private final KlusterChatClient client;

	private final ChatErrors errors;

	private final boolean standIn;

	private final FirstChatRateLimit firstChatRateLimit;

	ChatController(KlusterChatClient client, ChatErrors errors, FirstChatRateLimit firstChatRateLimit,
			Environment environment) {
		this.client = client;
		this.errors = errors;
		this.firstChatRateLimit = firstChatRateLimit;
		this.standIn = environment.getProperty(StandInEnvironmentPostProcessor.STAND_IN_PROPERTY, Boolean.class, false);
	}

	/** What the page needs to know before the first question. */
	@GetMapping("/info")
	Map<String, Object> info() {
		return Map.of("standIn", this.standIn);
	}

	@GetMapping("/models")
	Mono<List<String>> models() {
		return this.client.models().map(KlusterModel::id).collectList();
	}

	@PostMapping("/chat")
	Mono<ChatAnswer> chat(@RequestBody ChatQuestion question) {
		long start = System.nanoTime();
		this.firstChatRateLimit.beforeChat();
		return this.client.chat(question.toRequest())
			.map((completion) -> ChatAnswer.of(completion, Duration.ofNanos(System.nanoTime() - start)));
	}

	/**
	 * Streams the answer as server-sent events: {@code token} events with pieces of text
	 * (as {@code {"text": "..."}}),
	 * then one {@code usage} event with token counts and timings, or one {@code problem}
	 * event with the problem.
	 */
	@GetMapping(path = "/chat/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<Object>> stream(@RequestParam String prompt, @RequestParam(required = false) @Nullable String model,
			@RequestParam(required = false) @Nullable Integer n) {
		ChatQuestion question = new ChatQuestion(prompt, model, n);
		return Flux.defer(() -> {
			this.firstChatRateLimit.beforeChat();
			StreamTimer timer = new StreamTimer();
			return this.client.stream(question.toRequest()).concatMap((chunk) -> {
				timer.chunk(chunk);
				String text = chunk.text();
				return text.isEmpty() ? Flux.empty()
						: Flux.just(ServerSentEvent.<Object>builder(new Token(text)).event("token").build());
			})
				.concatWith(Mono.fromSupplier(() -> ServerSentEvent.<Object>builder(timer.summary()).event("usage").build()))
				.onErrorResume((ex) -> {
					ProblemDetail problem = this.errors.toProblem(ex);
					return Mono.just(ServerSentEvent.<Object>builder(problem).event("problem").build());
				});
		});
	}

	/**
	 * A piece of a streamed answer. Sent as JSON rather than as plain event data because
	 * server-sent events drop the first space of a data line, and pieces often start with
	 * one.
	 *
	 * @param text the piece of text
	 */
	record Token(String text) {
	}

	/**
	 * A question as the endpoints take it.
	 *
	 * @param prompt the user message
	 * @param model the model, or {@code null} for {@code kluster.chat.model}
	 * @param n OpenAI's number of choices, which kluster.ai does not support: set it to see
	 * validation at work
	 */
	record ChatQuestion(String prompt, @Nullable String model, @Nullable Integer n) {

		ChatCompletionRequest toRequest() {
			return ChatCompletionRequest.builder()
				.model((this.model != null && !this.model.isBlank()) ? this.model : null)
				.message(ChatMessage.user(this.prompt))
				.n(this.n)
				.build();
		}

	}

	/**
	 * A completion as {@code POST /chat} answers it.
	 *
	 * @param text the answer
	 * @param model the model that answered
	 * @param finishReason why generation stopped
	 * @param usage token usage
	 * @param latencyMillis time from request to complete answer
	 */
	record ChatAnswer(String text, @Nullable String model, @Nullable String finishReason, @Nullable Usage usage,
			long latencyMillis) {

		static ChatAnswer of(ChatCompletion completion, Duration latency) {
			return new ChatAnswer(completion.text(), completion.model(), completion.finishReason(), completion.usage(),
					latency.toMillis());
		}

	}

	/** Timings and usage of one streamed answer. */
	private static final class StreamTimer {

		private final long start = System.nanoTime();

		private long firstChunk;

		private @Nullable Usage usage;

		private @Nullable String model;

		void chunk(ChatCompletionChunk chunk) {
			if (this.firstChunk == 0) {
				this.firstChunk = System.nanoTime();
			}
			if (chunk.usage() != null) {
				this.usage = chunk.usage();
			}
			if (chunk.model() != null) {
				this.model = chunk.model();
			}
		}

		Map<String, Object> summary() {
			long now = System.nanoTime();
			return Map.of("model", String.valueOf(this.model), "usage", (this.usage != null) ? this.usage : Map.of(),
					"latencyMillis", Duration.ofNanos(now - this.start).toMillis(), "firstTokenMillis",
					(this.firstChunk != 0) ? Duration.ofNanos(this.firstChunk - this.start).toMillis() : -1);
		}

	}

}
