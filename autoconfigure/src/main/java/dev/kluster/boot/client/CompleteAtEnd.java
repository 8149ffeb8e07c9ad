package dev.kluster.boot.client;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.client.reactive.ClientHttpResponse;
import org.springframework.web.reactive.function.BodyExtractor;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.support.ClientResponseWrapper;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Completes one attempt's response body where the answer ends ({@code data: [DONE]}, as
 * the {@link ChunkStream} that reads it finds), not where the HTTP body ends, and reads
 * what is left of the body in the background for a short grace time before cancelling
 * it.
 * <p>
 * Applied to the body inside the {@code WebClient} exchange, so that the exchange is over
 * when the answer is: {@code WebClient} then lets the response go, and the concurrency
 * limit's slot with it. Written by hand because no Reactor operator does both:
 * {@code takeUntil} completes the subscriber but cancels the body at once, and Reactor
 * Netty closes a connection whose body is cancelled, even when the body's end was only a
 * moment away (a server usually writes the end of a chunked body after {@code [DONE]},
 * often in a read of its own). So every stream would pay for a new connection. Read to
 * its end within the grace time, the body lets its connection go back to the pool; a
 * body that has not ended by then (a server that keeps it open, or goes on with
 * keep-alive comments) is cancelled, which closes the connection. What arrives meanwhile
 * is released, and failures are ignored: the answer is complete.
 * <p>
 * One instance per attempt: {@link #watch(Flux)} its body once, and call {@link #end()}
 * when the answer has ended, with no buffer asked for that has not come.
 */
final class CompleteAtEnd {

	/**
	 * The filter of the {@code WebClient} whose exchanges' bodies are watched. Once the
	 * handler of {@code exchangeToFlux} has completed, {@code WebClient} releases the body
	 * by subscribing to it again. Here the body is still being read to its end, in the
	 * background, so Reactor Netty refuses that second subscriber with an exception, built
	 * with its stack trace for every stream and then ignored. The watch releases all it
	 * reads, so a response whose body has been taken is left to it.
	 */
	static final ExchangeFilterFunction BODY_RELEASED_BY_WATCH = (request, next) -> next.exchange(request)
		.map(BodyReleasedByWatch::new);

	private final Duration grace;

	private final StreamTimeouts timers;

	private volatile @Nullable EndWatch watch;

	/**
	 * Create one for an attempt.
	 * @param grace how long the rest of the body is read before it is cancelled
	 * @param timers the timers of the grace time
	 */
	CompleteAtEnd(Duration grace, StreamTimeouts timers) {
		this.grace = grace;
		this.timers = timers;
	}

	/**
	 * The body of the attempt, to be completed at {@link #end()}.
	 * @param body the buffers of the body
	 * @return the same buffers, up to the end of the answer
	 */
	Flux<DataBuffer> watch(Flux<DataBuffer> body) {
		return new FluxOperator<DataBuffer, DataBuffer>(body) {
			@Override
			public void subscribe(CoreSubscriber<? super DataBuffer> actual) {
				EndWatch watch = new EndWatch(actual, CompleteAtEnd.this);
				CompleteAtEnd.this.watch = watch;
				this.source.subscribe(watch);
			}
		};
	}

	/** The answer has ended: complete the body's subscriber, and read the rest. */
	void end() {
		EndWatch watch = this.watch;
		if (watch != null) {
			watch.end();
		}
	}

	private static final class EndWatch extends StreamTimeouts.Timer implements CoreSubscriber<DataBuffer>, Subscription {

		private static final int READING = 0;

		private static final int DRAINING = 1;

		private static final int TERMINATED = 2;

		private static final AtomicIntegerFieldUpdater<EndWatch> STATE = AtomicIntegerFieldUpdater
			.newUpdater(EndWatch.class, "state");

		private final CoreSubscriber<? super DataBuffer> actual;

		private final CompleteAtEnd settings;

		private @Nullable Subscription upstream;

		private volatile int state;

		// When the grace time is over; written before the state turns DRAINING.
		private long graceEnd;

		EndWatch(CoreSubscriber<? super DataBuffer> actual, CompleteAtEnd settings) {
			super(settings.timers);
			this.actual = actual;
			this.settings = settings;
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
		public void onNext(DataBuffer buffer) {
			if (this.state != READING) {
				DataBufferUtils.release(buffer);
				return;
			}
			this.actual.onNext(buffer);
		}

		@Override
		public void onError(Throwable error) {
			int previous = STATE.getAndSet(this, TERMINATED);
			disarm();
			if (previous == READING) {
				this.actual.onError(error);
			}
		}

		@Override
		public void onComplete() {
			int previous = STATE.getAndSet(this, TERMINATED);
			disarm();
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

		// Called when no buffer is asked for that has not come: nothing is being sent on
		// meanwhile, and the end of the body, which may come at any time, decides by the
		// state which of the two completes the subscriber.
		void end() {
			long grace = this.settings.grace.toNanos();
			this.graceEnd = this.settings.timers.now() + grace;
			if (STATE.compareAndSet(this, READING, DRAINING)) {
				upstream().request(Long.MAX_VALUE);
				// Unless the end of the body was there already.
				if (this.state == DRAINING) {
					arm(grace);
				}
				this.actual.onComplete();
			}
		}

		@Override
		long nanosLeft(long now) {
			return (this.state == DRAINING) ? this.graceEnd - now : ENDED;
		}

		// The grace time may be over, and the body has not ended.
		@Override
		public void run() {
			long left = nanosLeft(this.settings.timers.now());
			if (left == ENDED) {
				return;
			}
			if (left > 0) {
				arm(left);
			}
			else if (STATE.compareAndSet(this, DRAINING, TERMINATED)) {
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

	/** A response whose body, once taken, is released by whoever reads it. */
	static final class BodyReleasedByWatch extends ClientResponseWrapper {

		private volatile boolean taken;

		BodyReleasedByWatch(ClientResponse delegate) {
			super(delegate);
		}

		@Override
		public <T> T body(BodyExtractor<T, ? super ClientHttpResponse> extractor) {
			this.taken = true;
			return super.body(extractor);
		}

		@Override
		public Mono<Void> releaseBody() {
			return this.taken ? Mono.empty() : super.releaseBody();
		}

	}

}
