package dev.kluster.docs.batch;

import dev.kluster.boot.model.BatchOptions;
import dev.kluster.boot.batch.KlusterBatchClient;
import dev.kluster.boot.model.BatchRequest;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.KlusterOptions;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

// tag::batch-sentiment-job[]
@Service
class SentimentJob {

	private final KlusterBatchClient batches;

	private final ReviewRepository reviews;   // a reactive repository of yours

	SentimentJob(KlusterBatchClient batches, ReviewRepository reviews) {
		this.batches = batches;
		this.reviews = reviews;
	}

	Mono<Void> classifyAll() {
		Flux<BatchRequest> requests = this.reviews.findAll()      // read as the upload goes
			.map((review) -> BatchRequest.of("review-" + review.id(), ChatCompletionRequest.builder()
				.message(ChatMessage.system("Answer positive, negative or mixed."),
						ChatMessage.user(review.text()))
				.maxCompletionTokens(4)
				.build()));
		BatchOptions options = BatchOptions.DEFAULTS
			.completionWindow(KlusterOptions.CompletionWindow.HOURS_24)
			.metadata("job", "sentiment");
		return this.batches.run(requests, options)
			// Results come in no particular order: match them to requests by custom_id.
			.concatMap((result) -> {
				long reviewId = Long.parseLong(result.customId().substring("review-".length()));
				if (result.isSuccess()) {
					return this.reviews.saveSentiment(reviewId, result.completion().text());
				}
				return this.reviews.saveFailure(reviewId, result.error().code(), result.error().message());
			})
			.then();
	}

}
// end::batch-sentiment-job[]
