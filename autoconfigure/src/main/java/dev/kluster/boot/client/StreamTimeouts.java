package dev.kluster.boot.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
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
import dev.kluster.boot.error.KlusterTimeoutException;
import dev.kluster.boot.transport.KlusterTimeouts;

/**
 * The time limits of one streamed attempt: the answer must begin within the response
 * timeout, and after that the server may not fall silent for longer than the stream idle
 * timeout.
 * <p>
 * The limits time the server, not the subscriber. They watch what arrives from the
 * network (one item per buffer read, before the chunks are queued for the subscriber),
 * and they count time only while something has been requested that has not arrived. When
 * nothing is requested, because the subscriber is behind and the queue before it is
 * full, the client stops reading the connection, and the server's silence that follows
 * is back-pressure caused by the client: the clock then stands still, and starts again,
 * from zero, when more is requested.
 * <p>
 * Reactor's {@code Flux.timeout(first, perItem)} starts and cancels a timer for every
 * item; a stream of 2,000 chunks paid for 2,000 timers. Here one timer per stream is
 * armed for the earliest moment the stream could be late and, when it fires after items
 * have arrived, armed again for the new deadline, the way Netty's idle-state handlers do.
 * An item costs a clock read and an update of the outstanding demand.
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
	 * @param response longest wait for the answer to begin
	 * @param idle longest silence once it began
	 * @param scheduler where the timer runs
	 * @param nanoClock a monotonic clock in nanoseconds
	 */
	StreamTimeouts(Duration response, Duration idle, Scheduler scheduler, LongSupplier nanoClock) {
		this.response = response;
		this.idle = idle;
		this.scheduler = () -> scheduler;
		this.nanoClock = nanoClock;
	}

	<T> Flux<T> apply(Flux<T> received) {
		return apply(received, (item) -> true);
	}

	/**
	 * Watch a stream.
	 * @param <T> the type of what arrives
	 * @param received what arrives from the server
	 * @param answer whether an item begins the answer: the response limit holds until one
	 * does, the idle limit after; any item keeps a begun answer alive
	 * @return the stream, failing with a {@link KlusterTimeoutException} when late
	 */
	<T> Flux<T> apply(Flux<T> received, Predicate<? super T> answer) {
		return new FluxOperator<T, T>(received) {
			@Override
			public void subscribe(CoreSubscriber<? super T> actual) {
				this.source.subscribe(new Watch<>(Operators.serialize(actual), StreamTimeouts.this, answer));
			}
		};
	}

	KlusterTimeoutException timeout(boolean answering) {
		return answering
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

		private static final AtomicLongFieldUpdater<Watch> REQUESTED = AtomicLongFieldUpdater.newUpdater(Watch.class,
				"requested");

		private final CoreSubscriber<? super T> actual;

		private final StreamTimeouts limits;

		private final Predicate<? super T> answer;

		private final Disposable.Swap timer = Disposables.swap();

		private @Nullable Subscription upstream;

		// From when the current limit counts: the start, the last item of a begun answer,
		// or the request that ended a pause.
		private volatile long since;

		// Items requested that have not arrived yet.
		private volatile long requested;

		private volatile boolean answering;

		private volatile int done;

		Watch(CoreSubscriber<? super T> actual, StreamTimeouts limits, Predicate<? super T> answer) {
			this.actual = actual;
			this.limits = limits;
			this.answer = answer;
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			if (Operators.validate(this.upstream, subscription)) {
				this.upstream = subscription;
				this.since = this.limits.nanoClock.getAsLong();
				this.actual.onSubscribe(this);
				arm(this.limits.response.toNanos());
			}
		}

		@Override
		public void onNext(T item) {
			if (this.done != 0) {
				Operators.onNextDropped(item, currentContext());
				return;
			}
			Operators.produced(REQUESTED, this, 1);
			if (this.answering) {
				this.since = this.limits.nanoClock.getAsLong();
			}
			else if (this.answer.test(item)) {
				this.since = this.limits.nanoClock.getAsLong();
				this.answering = true;
				// The idle limit may be the shorter one: the timer armed for the response
				// limit would notice a silence too late.
				if (this.limits.idle.compareTo(this.limits.response) < 0) {
					arm(this.limits.idle.toNanos());
				}
			}
			this.actual.onNext(item);
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
			if (Operators.validate(n)) {
				// Nothing was asked of the server until now: its silence counts from here.
				if (this.requested == 0) {
					this.since = this.limits.nanoClock.getAsLong();
				}
				Operators.addCap(REQUESTED, this, n);
			}
			upstream().request(n);
		}

		@Override
		public void cancel() {
			if (DONE.compareAndSet(this, 0, 1)) {
				this.timer.dispose();
			}
			upstream().cancel();
		}

		// The timer fired: late, paused, or armed again for the deadline the last item set.
		@Override
		public void run() {
			if (this.done != 0) {
				return;
			}
			boolean answering = this.answering;
			long limit = answering ? this.limits.idle.toNanos() : this.limits.response.toNanos();
			if (this.requested == 0) {
				// The client is not reading: whatever the server does now is not late.
				arm(limit);
				return;
			}
			long left = this.since + limit - this.limits.nanoClock.getAsLong();
			if (left > 0) {
				arm(left);
				return;
			}
			if (DONE.compareAndSet(this, 0, 1)) {
				upstream().cancel();
				this.actual.onError(this.limits.timeout(answering));
			}
		}

		// Always update, never replace: the first chunk may re-arm the timer while it runs,
		// and a task replaced without being disposed would go on re-arming itself beside the
		// new one. Disposing the task that is running is harmless.
		private void arm(long nanos) {
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
