package dev.kluster.docs.batch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import dev.kluster.boot.model.BatchOptions;
import dev.kluster.boot.batch.KlusterBatchClient;
import dev.kluster.boot.model.Batch;
import dev.kluster.boot.model.BatchRequest;
import dev.kluster.boot.model.BatchResult;
import dev.kluster.boot.model.BatchStatus;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.test.AutoConfigureKlusterStandIn;
import dev.kluster.boot.test.KlusterStandIn;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs batch.md's snippets against the stand-in's files and batches.
 */
@SpringBootTest(classes = BatchSnippetsTests.Application.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = "kluster.batch.poll-interval=10ms")
@AutoConfigureKlusterStandIn
class BatchSnippetsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Autowired
	KlusterStandIn standIn;

	@Autowired
	KlusterBatchClient batches;

	private final Flux<BatchRequest> requests = Flux.just(
			BatchRequest.of("a", ChatCompletionRequest.builder().message(ChatMessage.user("One")).build()),
			BatchRequest.of("b", ChatCompletionRequest.builder().message(ChatMessage.user("Two")).build()));

	@Test
	void sentimentJobStoresOneSentimentPerReview() {
		Map<Long, String> saved = new ConcurrentHashMap<>();
		this.standIn.answerWhenPromptContains("great", "positive");
		this.standIn.answerWhenPromptContains("awful", "negative");
		ReviewRepository reviews = new ReviewRepository() {

			@Override
			public Flux<Review> findAll() {
				return Flux.just(new Review(1, "A great phone"), new Review(2, "An awful case"));
			}

			@Override
			public Mono<Void> saveSentiment(long reviewId, String sentiment) {
				return Mono.fromRunnable(() -> saved.put(reviewId, sentiment));
			}

			@Override
			public Mono<Void> saveFailure(long reviewId, String code, String message) {
				return Mono.fromRunnable(() -> saved.put(reviewId, "failed: " + code));
			}

		};
		new SentimentJob(this.batches, reviews).classifyAll().block(TIMEOUT);
		assertThat(saved).containsExactlyInAnyOrderEntriesOf(Map.of(1L, "positive", 2L, "negative"));
	}

	@Test
	void batchesRunInPartsOneAfterTheOther() {
		List<BatchResult> results = new BatchSnippets(this.batches).inParts(this.requests).collectList().block(TIMEOUT);
		assertThat(results).extracting(BatchResult::customId).containsExactlyInAnyOrder("a", "b");
	}

	@Test
	void theStandInsClockMovesABatchAlongItsTimeline() {
		// tag::batch-stand-in-clock[]
		standIn.batchTimeline(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(1));
		Batch batch = batches.submit(requests, BatchOptions.DEFAULTS).block();

		StepVerifier.create(batches.awaitCompletion(batch.id()).map(Batch::status))
			.expectNext(BatchStatus.VALIDATING)
			.then(() -> standIn.clock().advance(Duration.ofMinutes(1)))
			.expectNext(BatchStatus.IN_PROGRESS)
			.then(() -> standIn.clock().advance(Duration.ofMinutes(11)))
			.expectNext(BatchStatus.COMPLETED)
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		// end::batch-stand-in-clock[]
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
