package dev.kluster.boot.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.BooleanSupplier;
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
import reactor.util.context.Context;

/**
 * Completes a stream's answer where the answer ends ({@code data: [DONE]}), not where the
 * HTTP body ends, and reads what is left of the body in the background for a short grace
 * time before cancelling it.
 * <p>
 * Written by hand because no Reactor operator does both: {@code takeUntil} completes the
 * subscriber but cancels the body at once, and Reactor Netty closes a connection whose
 * body is cancelled, even when the body's end was only a moment away (a server usually
 * writes the end of a chunked body after {@code [DONE]}, often in a read of its own). So
 * every stream would pay for a new connection. Read to its end within the grace time, the
 * body lets its connection go back to the pool; a body that has not ended by then (a
 * server that keeps it open, or goes on with keep-alive comments) is cancelled, which
 * closes the connection. What arrives meanwhile is the caller's to release, and failures
 * are ignored: the answer is complete.
 */
final class CompleteAtEnd {

	private CompleteAtEnd() {
	}

	/**
	 * Complete {@code source} after the item at which {@code ended} turns true.
	 * @param <T> the items
	 * @param source the items read from a body
	 * @param ended whether the answer has ended, asked after each item
	 * @param grace how long the rest of the body is read before it is cancelled
	 * @param scheduler where the grace timer runs
	 * @return the items up to the end of the answer
	 */
	static <T> Flux<T> apply(Flux<T> source, BooleanSupplier ended, Duration grace, Supplier<Scheduler> scheduler) {
		return new FluxOperator<T, T>(source) {
			@Override
			public void subscribe(CoreSubscriber<? super T> actual) {
				this.source.subscribe(new EndWatch<>(actual, ended, grace, scheduler));
			}
		};
	}

	private static final class EndWatch<T> implements CoreSubscriber<T>, Subscription, Runnable {

		private static final int READING = 0;

		private static final int DRAINING = 1;

		private static final int TERMINATED = 2;

		private static final AtomicIntegerFieldUpdater<EndWatch> STATE = AtomicIntegerFieldUpdater
			.newUpdater(EndWatch.class, "state");

		private final CoreSubscriber<? super T> actual;

		private final BooleanSupplier ended;

		private final Duration grace;

		private final Supplier<Scheduler> scheduler;

		private final Disposable.Swap timer = Disposables.swap();

		private @Nullable Subscription upstream;

		private volatile int state;

		EndWatch(CoreSubscriber<? super T> actual, BooleanSupplier ended, Duration grace,
				Supplier<Scheduler> scheduler) {
			this.actual = actual;
			this.ended = ended;
			this.grace = grace;
			this.scheduler = scheduler;
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			if (Operators.validate(this.upstream, subscription)) {
				this.upstream = subscription;
				this.actual.onSubscribe(this);
			}
		}

		@Override
		public void onNext(T item) {
			if (this.state != READING) {
				return;
			}
			this.actual.onNext(item);
			if (this.ended.getAsBoolean() && STATE.compareAndSet(this, READING, DRAINING)) {
				this.timer.update(this.scheduler.get().schedule(this, this.grace.toNanos(), TimeUnit.NANOSECONDS));
				upstream().request(Long.MAX_VALUE);
				this.actual.onComplete();
			}
		}

		@Override
		public void onError(Throwable error) {
			int previous = STATE.getAndSet(this, TERMINATED);
			this.timer.dispose();
			if (previous == READING) {
				this.actual.onError(error);
			}
		}

		@Override
		public void onComplete() {
			int previous = STATE.getAndSet(this, TERMINATED);
			this.timer.dispose();
			if (previous == READING) {
				this.actual.onComplete();
			}
		}

		@Override
		public void request(long n) {
			if (this.state == READING) {
				upstream().request(n);
			}
		}

		@Override
		public void cancel() {
			if (STATE.compareAndSet(this, READING, TERMINATED)) {
				upstream().cancel();
			}
		}

		// The grace time is over and the body has not ended.
		@Override
		public void run() {
			if (STATE.compareAndSet(this, DRAINING, TERMINATED)) {
				upstream().cancel();
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
