package dev.kluster.boot.transport;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.github.bucket4j.BucketConfiguration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import dev.kluster.boot.error.KlusterRateLimitStoreException;
import dev.kluster.boot.observation.KlusterRateLimitMeters;

/**
 * How the operations on the shared store are bounded and what happens when it fails:
 * each operation has at most the store timeout; one that fails or times out is counted
 * ({@code kluster.rate-limit.store.failures}), logged at {@code WARN} once per outage, and
 * then either done on this instance's own store or failed, as the
 * {@link KlusterStoreFailureMode} says. For {@link #RETRY_AFTER} after a failure the
 * shared store is not asked, so that requests do not each wait for the timeout while it is
 * away; then it is asked again.
 *
 * @since 0.1.0
 */
public final class KlusterStoreFailover {

	/** How long the shared store is left alone after it failed. */
	public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	private static final Log logger = LogFactory.getLog(KlusterStoreFailover.class);

	private final KlusterStoreFailureMode mode;

	private final Duration timeout;

	private final Scheduler scheduler;

	private final KlusterRateLimitMeters meters;

	// Scheduler time (nanoseconds) until which the shared store is not asked; 0 while it answers.
	private final AtomicLong downUntil = new AtomicLong();

	/**
	 * Create the failover.
	 * @param mode what to do when the store fails
	 * @param timeout longest wait for an operation of the store
	 * @param scheduler the scheduler the timeout runs on
	 * @param meters where failures are counted
	 */
	public KlusterStoreFailover(KlusterStoreFailureMode mode, Duration timeout, Scheduler scheduler,
			KlusterRateLimitMeters meters) {
		Assert.isTrue(timeout.toNanos() > 0, "timeout must be positive");
		this.mode = mode;
		this.timeout = timeout;
		this.scheduler = scheduler;
		this.meters = meters;
	}

	/**
	 * What to do when the store fails.
	 * @return the mode
	 */
	public KlusterStoreFailureMode mode() {
		return this.mode;
	}

	/**
	 * Run an operation on the shared store, or its stand-in when the store fails.
	 * @param <T> the result type
	 * @param shared the operation on the shared store
	 * @param local the same operation on this instance alone
	 * @return the result of one of them, or a {@link KlusterRateLimitStoreException}
	 */
	public <T> Mono<T> call(Mono<T> shared, Supplier<Mono<T>> local) {
		return Mono.defer(() -> {
			long until = this.downUntil.get();
			if (until != 0 && this.scheduler.now(TimeUnit.NANOSECONDS) < until) {
				return fallback(local, null);
			}
			return shared.timeout(this.timeout, this.scheduler).doOnSuccess((result) -> back()).onErrorResume((ex) -> {
				this.meters.storeFailed();
				down(ex);
				return fallback(local, ex);
			});
		});
	}

	/**
	 * A store whose operations go to the shared one, bounded by this failover, with the
	 * local one as its stand-in.
	 * @param shared the shared store
	 * @param local the store of this instance
	 * @return the guarded store
	 */
	public KlusterRateLimitStore guard(KlusterRateLimitStore shared, KlusterRateLimitStore local) {
		return new KlusterRateLimitStore() {

			@Override
			public Mono<Long> reserve(String key, BucketConfiguration configuration, long tokens) {
				return call(shared.reserve(key, configuration, tokens), () -> local.reserve(key, configuration, tokens));
			}

			@Override
			public Mono<Void> giveBack(String key, BucketConfiguration configuration, long tokens) {
				return call(shared.giveBack(key, configuration, tokens),
						() -> local.giveBack(key, configuration, tokens));
			}

			@Override
			public Mono<Long> available(String key, BucketConfiguration configuration) {
				return call(shared.available(key, configuration), () -> local.available(key, configuration));
			}

			@Override
			public Mono<Void> drain(String key, BucketConfiguration configuration, long tokens) {
				return call(shared.drain(key, configuration, tokens), () -> local.drain(key, configuration, tokens));
			}

		};
	}

	private <T> Mono<T> fallback(Supplier<Mono<T>> local, @Nullable Throwable cause) {
		if (this.mode == KlusterStoreFailureMode.FAIL) {
			return Mono.error(new KlusterRateLimitStoreException("The shared rate-limit store did not answer within "
					+ this.timeout + " (kluster.rate-limit.store-timeout) and kluster.rate-limit.on-store-failure is "
					+ "fail; the call was not sent", cause));
		}
		return local.get();
	}

	private void down(Throwable ex) {
		long previous = this.downUntil.getAndSet(this.scheduler.now(TimeUnit.NANOSECONDS) + RETRY_AFTER.toNanos());
		if (previous == 0 && logger.isWarnEnabled()) {
			logger.warn("The shared rate-limit store failed (" + ex + "); "
					+ ((this.mode == KlusterStoreFailureMode.LOCAL)
							? "counting in this instance alone until it is back (kluster.rate-limit.on-store-failure=local)"
							: "calls fail until it is back (kluster.rate-limit.on-store-failure=fail)"));
		}
	}

	private void back() {
		if (this.downUntil.getAndSet(0) != 0 && logger.isInfoEnabled()) {
			logger.info("The shared rate-limit store answers again; budgets are shared again");
		}
	}

}
