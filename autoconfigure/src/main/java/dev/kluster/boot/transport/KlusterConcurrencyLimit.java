package dev.kluster.boot.transport;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.pool.InstrumentedPool;
import reactor.pool.PoolAcquirePendingLimitException;
import reactor.pool.PoolAcquireTimeoutException;
import reactor.pool.PoolBuilder;
import reactor.pool.PooledRef;
import dev.kluster.boot.error.KlusterQueueTimeoutException;

/**
 * Most requests in flight to kluster.ai at once, so that one application instance stays
 * within its plan's concurrency instead of collecting 429 answers. A request beyond the
 * limit waits in a queue without holding a thread, for at most the optional maximum wait,
 * after which it fails with a {@link KlusterQueueTimeoutException}.
 * <p>
 * A request holds its slot from the moment it is sent until its response body has been
 * read to the end, has failed, or was cancelled: a stream holds it for as long as it
 * streams, up to {@code data: [DONE]}, where the chat client ends the exchange (and reads
 * the rest of the body in the background). The slots are the permits of a reactor-pool
 * {@link InstrumentedPool}, whose queue of pending acquisitions is what makes the waiting
 * non-blocking.
 * <p>
 * With {@code kluster.rate-limit.store=redis} the slots are shared by every instance using
 * the same Redis, as leases that expire unless renewed ({@link RedisSlots}).
 * <p>
 * Installed as an {@link ExchangeFilterFunction} on the connection's
 * {@code WebClient}, so that the chat and the batch client share one limit.
 *
 * @since 0.1.0
 */
public final class KlusterConcurrencyLimit implements ExchangeFilterFunction {

	/**
	 * The default life of a shared slot's lease that is not renewed, 30 seconds
	 * ({@code kluster.rate-limit.lease-time}).
	 */
	public static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(30);

	private static final Object PERMIT = new Object();

	/** Pause before asking Redis again for a shared slot when all were taken. */
	static final Duration SHARED_POLL = Duration.ofMillis(20);

	private final int maxConcurrentRequests;

	private final @Nullable Duration maxQueueWait;

	private final InstrumentedPool<Object> permits;

	private final @Nullable RedisSlots shared;

	private final @Nullable KlusterStoreFailover failover;

	private final Scheduler scheduler;

	private final AtomicInteger waitingForShared = new AtomicInteger();

	/**
	 * Create a limit.
	 * @param maxConcurrentRequests most requests in flight at once, at least 1
	 * @param maxQueueWait longest wait for a slot, or {@code null} to wait as long as it
	 * takes
	 */
	public KlusterConcurrencyLimit(int maxConcurrentRequests, @Nullable Duration maxQueueWait) {
		this(Schedulers.parallel(), maxConcurrentRequests, maxQueueWait, null, null);
	}

	/**
	 * Create a limit whose slots are shared with other instances through Redis. When Redis
	 * fails, the failover's mode decides: this instance's own slots (as many as the limit)
	 * or a failed call.
	 * @param maxConcurrentRequests most requests in flight at once across the instances,
	 * at least 1
	 * @param maxQueueWait longest wait for a slot, or {@code null} to wait as long as it
	 * takes
	 * @param shared the shared slots
	 * @param failover what bounds the operations on Redis and what happens when it fails
	 * @param scheduler the scheduler that waits between two attempts at a shared slot run on
	 */
	public KlusterConcurrencyLimit(int maxConcurrentRequests, @Nullable Duration maxQueueWait, RedisSlots shared,
			KlusterStoreFailover failover, Scheduler scheduler) {
		this(scheduler, maxConcurrentRequests, maxQueueWait, shared, failover);
		Assert.notNull(shared, "shared must not be null");
		Assert.notNull(failover, "failover must not be null");
	}

	private KlusterConcurrencyLimit(Scheduler scheduler, int maxConcurrentRequests, @Nullable Duration maxQueueWait,
			@Nullable RedisSlots shared, @Nullable KlusterStoreFailover failover) {
		this.shared = shared;
		this.failover = failover;
		this.scheduler = scheduler;
		Assert.isTrue(maxConcurrentRequests >= 1, "maxConcurrentRequests must be at least 1");
		Assert.isTrue(maxQueueWait == null || !maxQueueWait.isNegative(), "maxQueueWait must not be negative");
		this.maxConcurrentRequests = maxConcurrentRequests;
		this.maxQueueWait = maxQueueWait;
		PoolBuilder<Object, ?> builder = PoolBuilder.from(Mono.just(PERMIT)).sizeBetween(0, maxConcurrentRequests);
		// reactor-pool reads an acquire timeout of zero as no timeout at all; a wait of zero
		// means no queue instead.
		this.permits = (maxQueueWait != null && maxQueueWait.isZero()) ? builder.maxPendingAcquire(0).buildPool()
				: builder.maxPendingAcquireUnbounded().buildPool();
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		Mono<Runnable> acquire = (this.shared != null) ? acquireShared(this.shared) : acquireLocal();
		return acquire
			.flatMap((release) -> {
				Slot slot = new Slot(release);
				return next.exchange(request)
					.doOnCancel(slot::releaseUnlessAnswered)
					.doOnError((ex) -> slot.release())
					.map((response) -> {
						slot.answered();
						return response.mutate().body((body) -> body.doFinally((signal) -> slot.release())).build();
					});
			});
	}

	private Mono<Runnable> acquireLocal() {
		Duration wait = this.maxQueueWait;
		Mono<PooledRef<Object>> acquire = (wait != null && !wait.isZero()) ? this.permits.acquire(wait)
				: this.permits.acquire();
		return acquire
			.onErrorMap((ex) -> ex instanceof PoolAcquireTimeoutException
					|| ex instanceof PoolAcquirePendingLimitException, this::queueTimeout)
			.map((ref) -> () -> ref.release().subscribe());
	}

	// Redis tells no one when a slot is given back: a request that found every slot taken
	// asks again after a short pause, until it has one or its wait is over. When Redis
	// fails, the failover may hand the request to this instance's own slots instead.
	private Mono<Runnable> acquireShared(RedisSlots shared) {
		KlusterStoreFailover failover = this.failover;
		Assert.state(failover != null, "A shared limit has a failover");
		Mono<Optional<Runnable>> attempt = failover.call(
				shared.tryAcquire(this.maxConcurrentRequests)
					.map((lease) -> Optional.<Runnable>of(lease::release))
					.defaultIfEmpty(Optional.empty()),
				() -> acquireLocal().map(Optional::of));
		Mono<Runnable> taken = attempt.flatMap(Mono::justOrEmpty);
		Duration wait = this.maxQueueWait;
		if (wait != null && wait.isZero()) {
			return taken.switchIfEmpty(Mono.error(() -> queueTimeout(new TimeoutException())));
		}
		Mono<Runnable> waiting = taken
			.repeatWhenEmpty((emptyRounds) -> emptyRounds.concatMap((round) -> Mono.delay(SHARED_POLL, this.scheduler)))
			.doOnSubscribe((subscription) -> this.waitingForShared.incrementAndGet())
			.doFinally((signal) -> this.waitingForShared.decrementAndGet());
		return (wait != null) ? waiting.timeout(wait, this.scheduler)
			.onErrorMap(TimeoutException.class, this::queueTimeout) : waiting;
	}

	private KlusterQueueTimeoutException queueTimeout(Throwable cause) {
		Duration wait = this.maxQueueWait;
		return new KlusterQueueTimeoutException(this.maxConcurrentRequests, (wait != null) ? wait : Duration.ZERO,
				cause);
	}

	/**
	 * Most requests in flight at once.
	 * @return the limit
	 */
	public int maxConcurrentRequests() {
		return this.maxConcurrentRequests;
	}

	/**
	 * Requests holding a slot now.
	 * @return the number of taken slots
	 */
	public int inFlight() {
		RedisSlots shared = this.shared;
		return this.permits.metrics().acquiredSize() + ((shared != null) ? shared.held() : 0);
	}

	/**
	 * Requests waiting for a slot now.
	 * @return the length of the queue
	 */
	public int queued() {
		return this.permits.metrics().pendingAcquireSize() + this.waitingForShared.get();
	}

	/** One taken slot, given back exactly once whichever way its request ends. */
	private static final class Slot {

		private final Runnable release;

		private final AtomicBoolean released = new AtomicBoolean();

		private volatile boolean answered;

		Slot(Runnable release) {
			this.release = release;
		}

		void answered() {
			this.answered = true;
		}

		// Reactor cancels the exchange as well as the body when a subscriber cancels after
		// the answer came, and the exchange first: the body's end gives the slot back then,
		// once its connection has really been let go.
		void releaseUnlessAnswered() {
			if (!this.answered) {
				release();
			}
		}

		void release() {
			if (this.released.compareAndSet(false, true)) {
				this.release.run();
			}
		}

	}

}
