package dev.kluster.boot.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;

import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * The time limits of one streamed attempt: the first chunk within the response timeout,
 * each further chunk within the stream idle timeout of the one before.
 * <p>
 * Reactor's {@code Flux.timeout(first, perItem)} starts and cancels a timer for every
 * chunk; a stream of 2,000 chunks paid for 2,000 timers. Here one timer per stream is
 * armed for the earliest moment the stream could be late and, when it fires after chunks
 * have arrived, armed again for the new deadline, the way Netty's idle-state handlers do.
 * A chunk costs a clock read.
 */
final class StreamTimeouts {

	private final Duration response;

	private final Duration idle;

	private final Supplier<Scheduler> scheduler;

	private final LongSupplier nanoClock;

	// Reactor's parallel scheduler is asked for on the first stream, not at start-up.
	StreamTimeouts(Duration response, Duration idle) {
		this.response = response;
		this.idle = idle;
		this.scheduler = Schedulers::parallel;
		this.nanoClock = System::nanoTime;
	}

	/**
	 * Limits on a given scheduler and clock, such as a test's virtual time.
	 * @param response longest wait for the first chunk
	 * @param idle longest wait for each further chunk
	 * @param scheduler where the timer runs
	 * @param nanoClock a monotonic clock in nanoseconds
	 */
	StreamTimeouts(Duration response, Duration idle, Scheduler scheduler, LongSupplier nanoClock) {
		this.response = response;
		this.idle = idle;
		this.scheduler = () -> scheduler;
		this.nanoClock = nanoClock;
	}

	<T> Flux<T> apply(Flux<T> chunks) {
		return new FluxOperator<T, T>(chunks) {
			@Override
			public void subscribe(CoreSubscriber<? super T> actual) {
				this.source.subscribe(new Watch<>(Operators.serialize(actual), StreamTimeouts.this));
			}
		};
	}

	KlusterTimeoutException timeout(boolean delivered) {
		return delivered
				? new KlusterTimeoutException("kluster.ai's stream was silent for longer than " + this.idle + " ("
						+ KlusterTimeouts.STREAM_IDLE_TIMEOUT_PROPERTY + ")", KlusterTimeouts.STREAM_IDLE_TIMEOUT_PROPERTY,
						this.idle, new TimeoutException())
				: new KlusterTimeoutException(KlusterTimeouts.RESPONSE_TIMEOUT_PROPERTY, this.response,
						new TimeoutException());
	}

	/** Watches one subscription; its timer task is itself. */
	private static final class Watch<T> implements CoreSubscriber<T>, Subscription, Runnable {

		private static final AtomicIntegerFieldUpdater<Watch> DONE = AtomicIntegerFieldUpdater.newUpdater(Watch.class,
				"done");

		private final CoreSubscriber<? super T> actual;

		private final StreamTimeouts limits;

		private final Disposable.Swap timer = Disposables.swap();

		private @Nullable Subscription upstream;

		private volatile long started;

		private volatile long lastChunk;

		private volatile boolean delivered;

		private volatile int done;

		Watch(CoreSubscriber<? super T> actual, StreamTimeouts limits) {
			this.actual = actual;
			this.limits = limits;
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			if (Operators.validate(this.upstream, subscription)) {
				this.upstream = subscription;
				this.started = this.limits.nanoClock.getAsLong();
				this.actual.onSubscribe(this);
				arm(this.limits.response.toNanos());
			}
		}

		@Override
		public void onNext(T chunk) {
			if (this.done != 0) {
				Operators.onNextDropped(chunk, currentContext());
				return;
			}
			this.lastChunk = this.limits.nanoClock.getAsLong();
			if (!this.delivered) {
				this.delivered = true;
				// The idle limit may be the shorter one: the timer armed for the response
				// limit would notice a silence too late.
				if (this.limits.idle.compareTo(this.limits.response) < 0) {
					rearm(this.limits.idle.toNanos());
				}
			}
			this.actual.onNext(chunk);
		}

		@Override
		public void onError(Throwable error) {
			if (DONE.compareAndSet(this, 0, 1)) {
				this.timer.dispose();
				this.actual.onError(error);
			}
			else {
				Operators.onErrorDropped(error, currentContext());
			}
		}

		@Override
		public void onComplete() {
			if (DONE.compareAndSet(this, 0, 1)) {
				this.timer.dispose();
				this.actual.onComplete();
			}
		}

		@Override
		public void request(long n) {
			upstream().request(n);
		}

		@Override
		public void cancel() {
			if (DONE.compareAndSet(this, 0, 1)) {
				this.timer.dispose();
			}
			upstream().cancel();
		}

		// The timer fired: late, or armed again for the deadline the last chunk set.
		@Override
		public void run() {
			if (this.done != 0) {
				return;
			}
			boolean delivered = this.delivered;
			long deadline = delivered ? this.lastChunk + this.limits.idle.toNanos()
					: this.started + this.limits.response.toNanos();
			long left = deadline - this.limits.nanoClock.getAsLong();
			if (left > 0) {
				arm(left);
				return;
			}
			if (DONE.compareAndSet(this, 0, 1)) {
				upstream().cancel();
				this.actual.onError(this.limits.timeout(delivered));
			}
		}

		// From the timer's own run, or before any timer was armed: nothing to cancel.
		private void arm(long nanos) {
			if (this.done == 0) {
				this.timer.replace(this.limits.scheduler.get().schedule(this, nanos, TimeUnit.NANOSECONDS));
			}
		}

		private void rearm(long nanos) {
			if (this.done == 0) {
				this.timer.update(this.limits.scheduler.get().schedule(this, nanos, TimeUnit.NANOSECONDS));
			}
		}

		private Subscription upstream() {
			Subscription subscription = this.upstream;
			if (subscription == null) {
				throw new IllegalStateException("Not subscribed");
			}
			return subscription;
		}

	}

}
