package dev.kluster.docs.gettingstarted;

import java.util.List;
import java.util.Map;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionChunk;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.ContentPart;
import dev.kluster.boot.model.KlusterModel;
import dev.kluster.boot.model.KlusterOptions;
import dev.kluster.boot.model.QueuedChatCompletion;
import dev.kluster.boot.model.Usage;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The fragments of getting-started.md, each in a method that gives it the variables it
 * uses and returns what it made, so that the tests can run it.
 */
class GettingStartedSnippets {

	private final KlusterChatClient kluster;

	GettingStartedSnippets(KlusterChatClient kluster) {
		this.kluster = kluster;
	}

	Flux<ChatCompletionChunk> streaming(String question) {
		// tag::streaming[]
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.message(ChatMessage.system("Answer in one paragraph."), ChatMessage.user(question))
			.temperature(0.7)
			.build();
		Flux<ChatCompletionChunk> chunks = kluster.stream(request);
		// end::streaming[]
		return chunks;
	}

	Flux<String> streamingText() {
		// tag::streaming-text[]
		Flux<String> pieces = kluster.stream("Write a haiku about the sea.");
		// end::streaming-text[]
		return pieces;
	}

	// tag::streaming-usage[]
	Mono<Usage> printAndCount(ChatCompletionRequest request) {
		return kluster.stream(request)
			.doOnNext(chunk -> System.out.print(chunk.text()))
			.mapNotNull(ChatCompletionChunk::usage)
			.takeLast(1)
			.singleOrEmpty();   // empty when the server sent no usage
	}
	// end::streaming-usage[]

	Mono<String> vision() {
		// tag::vision[]
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.model("Qwen/Qwen2.5-VL-7B-Instruct")
			.message(ChatMessage.user(
				ContentPart.text("What is in this image?"),
				ContentPart.imageUrl("https://example.com/cat.png")))
			.build();
		Mono<String> description = kluster.chat(request).map(ChatCompletion::text);
		// end::vision[]
		return description;
	}

	ContentPart visionDetail() {
		// tag::vision-detail[]
		ContentPart part = new ContentPart("image_url", null,
			new ContentPart.ImageUrl("data:image/png;base64,iVBORw0KGgo...", "low"));
		// end::vision-detail[]
		return part;
	}

	Mono<ChatCompletion> async(String document) {
		// tag::async[]
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.message(ChatMessage.user("Classify this document: " + document))
			.metadata(Map.of("team", "search"))                     // free-form entries, kept
			.klusterOptions(KlusterOptions.builder()
				.async(true)                                         // queue as a job
				.completionWindow(KlusterOptions.CompletionWindow.HOURS_24)   // "24h"; also HOURS_48, HOURS_72
				.strictCompletionWindow(false)                       // true: fail rather than complete late
				.callbackUrl("https://example.com/hooks/kluster")    // called when the job completes
				.build())
			.build();
		Mono<ChatCompletion> queued = kluster.chat(request);
		// end::async[]
		return queued;
	}

	Mono<QueuedChatCompletion> submitAsync() {
		// tag::submit-async[]
		Mono<QueuedChatCompletion> job = kluster.submitAsync(ChatCompletionRequest.builder()
			.message(ChatMessage.user("Summarise this year's support tickets"))
			.klusterOptions(KlusterOptions.builder().completionWindow(KlusterOptions.CompletionWindow.HOURS_48).build())
			.build());
		// end::submit-async[]
		return job;
	}

	Mono<List<KlusterModel>> models() {
		// tag::models[]
		Flux<String> ids = kluster.models().map(KlusterModel::id);
		Mono<List<KlusterModel>> all = kluster.models().collectList();
		// end::models[]
		return ids.then(all);
	}

	ChatCompletionRequest extraBody() {
		// tag::extra-body[]
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.message(ChatMessage.user("Hello"))
			.extraBody("repetition_penalty", 1.1)
			.build();
		// end::extra-body[]
		return request;
	}

}
