package dev.kluster.boot.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LocalBucketBuilder;
import reactor.core.publisher.Mono;

/**
 * Token buckets in this application's memory: Bucket4j's lock-free local buckets, on the
 * clock of a Reactor scheduler, so that tests in virtual time move their refill too.
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
		return Mono.fromSupplier(() -> bucket(key, configuration).consumeIgnoringRateLimits(tokens));
	}

	@Override
	public Mono<Void> giveBack(String key, BucketConfiguration configuration, long tokens) {
		return Mono.fromRunnable(() -> bucket(key, configuration).addTokens(tokens));
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
		return this.buckets.computeIfAbsent(key, (name) -> {
			LocalBucketBuilder builder = Bucket.builder().withCustomTimePrecision(this.clock);
			for (Bandwidth bandwidth : configuration.getBandwidths()) {
				builder.addLimit(bandwidth);
			}
			return builder.build();
		});
	}

}
