package dev.kluster.boot.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LocalBucketBuilder;
import io.github.bucket4j.local.SynchronizationStrategy;
import reactor.core.publisher.Mono;

/**
 * Token buckets in this application's memory: Bucket4j's local buckets, on the clock of a
 * Reactor scheduler, so that tests in virtual time move their refill too. Each bucket
 * updates its state under a lock held for a few arithmetic operations: the lock-free
 * buckets copy their state on every update instead, which is garbage on every request.
 * <p>
 * Its buckets answer at once, so besides the reactive operations of the interface it
 * offers {@link #reserveNow} and {@link #giveBackNow}, which {@link KlusterRateLimit} calls
 * directly: a request that need not wait then costs two bucket updates, not a
 * {@link Mono} per budget.
 *
 * @since 0.1.0
 */
public final class LocalRateLimitStore implements KlusterRateLimitStore {

	private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

	private final TimeMeter clock;

	/**
	 * Create a store.
	 * @param clock the time the buckets refill by
	 */
	public LocalRateLimitStore(TimeMeter clock) {
		this.clock = clock;
	}

	@Override
	public Mono<Long> reserve(String key, BucketConfiguration configuration, long tokens) {
		return Mono.fromSupplier(() -> reserveNow(key, configuration, tokens));
	}

	/**
	 * {@link #reserve} without a {@link Mono}: this store answers at once.
	 * @param key the bucket
	 * @param configuration its capacity and refill, used when the bucket does not exist yet
	 * @param tokens how many tokens, at most the capacity
	 * @return how long, in nanoseconds, until the reserved tokens have been refilled
	 */
	public long reserveNow(String key, BucketConfiguration configuration, long tokens) {
		return bucket(key, configuration).consumeIgnoringRateLimits(tokens);
	}

	@Override
	public Mono<Void> giveBack(String key, BucketConfiguration configuration, long tokens) {
		return Mono.fromRunnable(() -> giveBackNow(key, configuration, tokens));
	}

	/**
	 * {@link #giveBack} without a {@link Mono}: this store answers at once.
	 * @param key the bucket
	 * @param configuration its capacity and refill
	 * @param tokens how many tokens
	 */
	public void giveBackNow(String key, BucketConfiguration configuration, long tokens) {
		bucket(key, configuration).addTokens(tokens);
	}

	@Override
	public Mono<Long> available(String key, BucketConfiguration configuration) {
		return Mono.fromSupplier(() -> bucket(key, configuration).getAvailableTokens());
	}

	@Override
	public Mono<Void> drain(String key, BucketConfiguration configuration, long tokens) {
		return Mono.fromRunnable(() -> {
			Bucket bucket = bucket(key, configuration);
			bucket.tryConsumeAsMuchAsPossible();
			bucket.consumeIgnoringRateLimits(tokens);
		});
	}

	private Bucket bucket(String key, BucketConfiguration configuration) {
		// A plain look-up first: computeIfAbsent's function captures the configuration, an
		// object per call, and the bucket exists for all but a model's first request.
		Bucket bucket = this.buckets.get(key);
		return (bucket != null) ? bucket : this.buckets.computeIfAbsent(key, (name) -> {
			LocalBucketBuilder builder = Bucket.builder()
				.withCustomTimePrecision(this.clock)
				.withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED);
			for (Bandwidth bandwidth : configuration.getBandwidths()) {
				builder.addLimit(bandwidth);
			}
			return builder.build();
		});
	}

}
