package dev.kluster.docs.batch;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The application's reactive repository that batch.md's example reads and writes.
 */
interface ReviewRepository {

	Flux<Review> findAll();

	Mono<Void> saveSentiment(long reviewId, String sentiment);

	Mono<Void> saveFailure(long reviewId, String code, String message);

	record Review(long id, String text) {
	}

}
