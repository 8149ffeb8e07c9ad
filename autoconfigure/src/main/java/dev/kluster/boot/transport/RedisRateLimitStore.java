package dev.kluster.boot.transport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulRedisConnection;
import reactor.core.publisher.Mono;

/**
 * Token buckets in Redis, shared by every instance that uses the same Redis and key
 * prefix: Bucket4j's Lettuce integration, whose compare-and-swap updates make each
 * operation atomic across instances, called through its asynchronous API so that no
 * thread waits for Redis. Each operation is two round trips: Bucket4j reads the bucket
 * ({@code GET}), computes its new state here and writes it with a compare-and-swap script
 * ({@code EVAL}), and starts again when another instance changed the bucket in between.
 * The requests of this instance that update a bucket while an update of it is on its way
 * are batched into the next one (Bucket4j's batching optimization): without it, requests
 * in flight together would each read the bucket, and all but one find it changed and
 * start again, a storm of round trips under load.
 * The refill is computed with the given clock; instances sharing a
 * budget need clocks that agree to within a fraction of a request's share of the minute,
 * as NTP-synchronised machines do.
 * <p>
 * Keys expire once their bucket would be full again, so that Redis holds nothing for
 * models no longer used.
 *
 * @since 0.1.0
 */
public final class RedisRateLimitStore implements KlusterRateLimitStore {

	private final Mono<AsyncProxyManager<byte[]>> proxies;

	private final Map<String, AsyncBucketProxy> buckets = new ConcurrentHashMap<>();

	/**
	 * Create a store.
	 * @param connection the connection to Redis, asked for on first use and again after it
	 * failed; values are written as bytes
	 * @param clock the time the buckets refill by
	 */
	public RedisRateLimitStore(Mono<StatefulRedisConnection<byte[], byte[]>> connection, TimeMeter clock) {
		this.proxies = connection
			.map((redis) -> Bucket4jLettuce.casBasedBuilder(redis)
				.clientClock(clock)
				.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
						Duration.ofSeconds(10)))
				.build()
				.asAsync())
			.cache((made) -> Duration.ofMillis(Long.MAX_VALUE), (ex) -> Duration.ZERO, () -> Duration.ZERO);
	}

	@Override
	public Mono<Long> reserve(String key, BucketConfiguration configuration, long tokens) {
		return on(key, configuration, (bucket) -> bucket.consumeIgnoringRateLimits(tokens));
	}

	@Override
	public Mono<Void> giveBack(String key, BucketConfiguration configuration, long tokens) {
		return on(key, configuration, (bucket) -> bucket.addTokens(tokens));
	}

	@Override
	public Mono<Long> available(String key, BucketConfiguration configuration) {
		return on(key, configuration, AsyncBucketProxy::getAvailableTokens);
	}

	@Override
	public Mono<Void> drain(String key, BucketConfiguration configuration, long tokens) {
		return on(key, configuration, (bucket) -> bucket.tryConsumeAsMuchAsPossible()
			.thenCompose((taken) -> bucket.consumeIgnoringRateLimits(tokens))
			.thenApply((penalty) -> null));
	}

	private <T> Mono<T> on(String key, BucketConfiguration configuration,
			Function<AsyncBucketProxy, CompletableFuture<T>> operation) {
		return this.proxies.flatMap((proxies) -> Mono.fromFuture(() -> operation.apply(this.buckets.computeIfAbsent(key,
				(name) -> proxies.builder()
					.withOptimization(Optimizations.batching())
					.build(name.getBytes(StandardCharsets.UTF_8), () -> CompletableFuture.completedFuture(configuration))))));
	}

}
