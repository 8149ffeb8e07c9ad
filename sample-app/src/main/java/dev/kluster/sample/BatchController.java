package dev.kluster.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.kluster.boot.model.BatchOptions;
import dev.kluster.boot.batch.KlusterBatchClient;
import dev.kluster.boot.error.KlusterBatchNotCompletedException;
import dev.kluster.boot.model.Batch;
import dev.kluster.boot.model.BatchRequest;
import dev.kluster.boot.model.BatchResult;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Runs prompts as one kluster.ai batch through the injected {@link KlusterBatchClient}:
 * one call of {@link KlusterBatchClient#run(Flux, BatchOptions) run} uploads them, waits
 * for the batch and reads its results, which come back in no particular order and are
 * matched to their prompts by {@code custom_id}.
 */
@RestController
class BatchController {

	/** A page is not the place for a batch of thousands: kluster.ai takes up to 100 MB. */
	static final int MAX_PROMPTS = 100;

	private static final String RUN_KEY = "sample_run";

	private final KlusterBatchClient client;

	BatchController(KlusterBatchClient client) {
		this.client = client;
	}

	@PostMapping("/batch")
	Mono<BatchAnswer> batch(@RequestBody BatchQuestions questions) {
		List<String> prompts = questions.nonBlankPrompts();
		if (prompts.isEmpty() || prompts.size() > MAX_PROMPTS) {
			return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"Send between 1 and " + MAX_PROMPTS + " non-blank prompts"));
		}
		return Mono.defer(() -> {
			long start = System.nanoTime();
			// run() answers results only: the run's metadata finds its batch afterwards.
			String runId = UUID.randomUUID().toString();
			Map<String, BatchResult> byCustomId = new ConcurrentHashMap<>();
			Flux<BatchRequest> requests = Flux.range(0, prompts.size())
				.map((i) -> BatchRequest.of(customId(i), questions.toRequest(prompts.get(i))));
			return this.client.run(requests, BatchOptions.DEFAULTS.metadata(RUN_KEY, runId))
				.doOnNext((result) -> byCustomId.put(result.customId(), result))
				.then(Mono.defer(() -> findRun(runId)))
				// An expired or cancelled batch still answered some prompts: show them.
				.onErrorResume(KlusterBatchNotCompletedException.class, (ex) -> Mono.just(ex.batch()))
				.map((batch) -> BatchAnswer.of(batch, prompts, byCustomId,
						Duration.ofNanos(System.nanoTime() - start)));
		});
	}

	// Batches are listed newest first: the run's batch is on the first page unless many
	// were created since.
	private Mono<Batch> findRun(String runId) {
		return this.client.list()
			.take(100)
			.filter((batch) -> batch.metadata() != null && runId.equals(batch.metadata().get(RUN_KEY)))
			.next();
	}

	static String customId(int index) {
		return "prompt-" + (index + 1);
	}

	/**
	 * Prompts to run as one batch.
	 *
	 * @param prompts the user messages, one request each
	 * @param model the model, or {@code null} for {@code kluster.chat.model}
	 */
	record BatchQuestions(@Nullable List<String> prompts, @Nullable String model) {

		List<String> nonBlankPrompts() {
			return (this.prompts != null) ? this.prompts.stream().filter((p) -> p != null && !p.isBlank()).toList()
					: List.of();
		}

		ChatCompletionRequest toRequest(String prompt) {
			return ChatCompletionRequest.builder()
				.model((this.model != null && !this.model.isBlank()) ? this.model : null)
				.message(ChatMessage.user(prompt))
				.build();
		}

	}

	/**
	 * A batch as {@code POST /batch} answers it.
	 *
	 * @param batchId the batch, or {@code null} when it could not be found again
	 * @param status the batch's terminal status
	 * @param results one per prompt, in the order of the prompts
	 * @param latencyMillis time from request to the last result
	 */
	record BatchAnswer(@Nullable String batchId, @Nullable String status, List<PromptResult> results,
			long latencyMillis) {

		static BatchAnswer of(@Nullable Batch batch, List<String> prompts, Map<String, BatchResult> byCustomId,
				Duration latency) {
			List<PromptResult> results = new ArrayList<>(prompts.size());
			for (int i = 0; i < prompts.size(); i++) {
				String customId = customId(i);
				results.add(PromptResult.of(customId, prompts.get(i), byCustomId.get(customId)));
			}
			return new BatchAnswer((batch != null) ? batch.id() : null,
					(batch != null && batch.status() != null) ? batch.status().wireName() : null, results,
					latency.toMillis());
		}

	}

	/**
	 * The result of one prompt.
	 *
	 * @param customId the request's {@code custom_id}
	 * @param prompt the prompt
	 * @param text the answer, or {@code null} when the request failed or has no result
	 * @param error why it failed, or {@code null}
	 */
	record PromptResult(String customId, String prompt, @Nullable String text, @Nullable String error) {

		static PromptResult of(String customId, String prompt, @Nullable BatchResult result) {
			if (result == null) {
				return new PromptResult(customId, prompt, null, "no result: the batch did not run this request");
			}
			if (result.isSuccess() && result.completion() != null) {
				return new PromptResult(customId, prompt, result.completion().text(), null);
			}
			BatchResult.Error error = result.error();
			String message = (error != null) ? error.message()
					: "HTTP " + ((result.response() != null) ? result.response().statusCode() : "?");
			return new PromptResult(customId, prompt, null, message);
		}

	}

}
