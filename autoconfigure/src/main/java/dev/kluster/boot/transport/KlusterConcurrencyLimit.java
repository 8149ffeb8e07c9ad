package dev.kluster.boot.transport;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;
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
 * Installed as an {@link ExchangeFilterFunction} on the connection's
 * {@code WebClient}, so that the chat and the batch client share one limit.
 *
 * @since 0.1.0
 */
public final class KlusterConcurrencyLimit implements ExchangeFilterFunction {

	private static final Object PERMIT = new Object();

	private final int maxConcurrentRequests;

	private final @Nullable Duration maxQueueWait;

	private final InstrumentedPool<Object> permits;

	/**
	 * Create a limit.
	 * @param maxConcurrentRequests most requests in flight at once, at least 1
	 * @param maxQueueWait longest wait for a slot, or {@code null} to wait as long as it
	 * takes
	 */
	public KlusterConcurrencyLimit(int maxConcurrentRequests, @Nullable Duration maxQueueWait) {
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
		Duration wait = this.maxQueueWait;
		Mono<PooledRef<Object>> acquire = (wait != null && !wait.isZero()) ? this.permits.acquire(wait)
				: this.permits.acquire();
		return acquire
			.onErrorMap((ex) -> ex instanceof PoolAcquireTimeoutException
					|| ex instanceof PoolAcquirePendingLimitException,
					(ex) -> new KlusterQueueTimeoutException(this.maxConcurrentRequests,
							(wait != null) ? wait : Duration.ZERO, ex))
			.flatMap((ref) -> {
				Slot slot = new Slot(ref);
				return next.exchange(request)
					.doOnCancel(slot::releaseUnlessAnswered)
					.doOnError((ex) -> slot.release())
					.map((response) -> {
						slot.answered();
						return response.mutate().body((body) -> body.doFinally((signal) -> slot.release())).build();
					});
			});
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
		return this.permits.metrics().acquiredSize();
	}

	/**
	 * Requests waiting for a slot now.
	 * @return the length of the queue
	 */
	public int queued() {
		return this.permits.metrics().pendingAcquireSize();
	}

	/** One taken slot, given back exactly once whichever way its request ends. */
	private static final class Slot {

		private final PooledRef<Object> ref;

		private final AtomicBoolean released = new AtomicBoolean();

		private volatile boolean answered;

		Slot(PooledRef<Object> ref) {
			this.ref = ref;
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
				this.ref.release().subscribe();
			}
		}

	}

}
