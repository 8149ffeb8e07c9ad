package dev.kluster.boot.transport;

import io.github.bucket4j.BucketConfiguration;
import reactor.core.publisher.Mono;

/**
 * Where the token buckets of {@link KlusterRateLimit} live: in this application
 * ({@link LocalRateLimitStore}) or in a store that every instance shares
 * ({@link RedisRateLimitStore}). The buckets are Bucket4j's; a store only says where their
 * state is kept. Every operation is atomic on its bucket.
 *
 * @since 0.1.0
 */
public interface KlusterRateLimitStore {

	/**
	 * Take tokens now, even when the bucket does not hold them, so that its balance may go
	 * below zero: a reservation. The caller waits for the returned time before it sends.
	 * @param key the bucket
	 * @param configuration its capacity and refill, used when the bucket does not exist yet
	 * @param tokens how many tokens, at most the capacity
	 * @return how long, in nanoseconds, until the reserved tokens have been refilled
	 */
	Mono<Long> reserve(String key, BucketConfiguration configuration, long tokens);

	/**
	 * Give tokens back, for a reservation that was not used or an estimate that was too
	 * high; a bucket never holds more than its capacity.
	 * @param key the bucket
	 * @param configuration its capacity and refill
	 * @param tokens how many tokens
	 * @return completes when done
	 */
	Mono<Void> giveBack(String key, BucketConfiguration configuration, long tokens);

	/**
	 * Tokens available now; below zero while reservations wait.
	 * @param key the bucket
	 * @param configuration its capacity and refill
	 * @return the balance
	 */
	Mono<Long> available(String key, BucketConfiguration configuration);

	/**
	 * Empty the bucket and take as many tokens as refill in the given time, so that no
	 * reservation made from now on is sent before that time is over.
	 * @param key the bucket
	 * @param configuration its capacity and refill
	 * @param tokens how many tokens besides those the bucket holds
	 * @return completes when done
	 */
	Mono<Void> drain(String key, BucketConfiguration configuration, long tokens);

}
