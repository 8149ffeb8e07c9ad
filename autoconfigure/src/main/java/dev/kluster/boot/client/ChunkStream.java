package dev.kluster.boot.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;

import dev.kluster.boot.error.KlusterInvalidResponseException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * One attempt of a stream: the buffers of the response body read into chunks, one event
 * at a time as the subscriber asks for them, up to {@code data: [DONE]}, within the
 * response and idle limits of {@link StreamTimeouts}.
 * <p>
 * <strong>Chunk by chunk.</strong> A buffer is asked for only when the events of the one
 * before have all been split off (by the {@link ServerSentEventSplitter}), and an event's
 * data is read into a chunk only when the subscriber asks for it: the first chunk of a
 * buffer that holds many events goes out as soon as it is read, not after the whole
 * buffer. There is no queue: a buffer's bytes are held, by the splitter, until its last
 * event is split off, and released then, or when the stream ends otherwise. A failure of
 * the body comes after the chunks of the buffers that came before it; a chunk that cannot
 * be read fails the stream after the chunks before it, and the body is not read further.
 * <p>
 * <strong>The end of the answer.</strong> The stream completes at {@code data: [DONE]},
 * not where the HTTP body ends: what is left of the body is the business of the
 * {@link CompleteAtEnd} told of the end. A body that ends before {@code [DONE]} fails the
 * stream, after the event it cut off, if any: the answer may be incomplete.
 * <p>
 * <strong>The time limits</strong> time the server, not the subscriber: the answer must
 * begin (its first chunk come) within the response timeout, counted from the
 * subscription, and after that the server may not fall silent (no bytes at all, keep-alive
 * comments included) for longer than the idle timeout. Time counts only while the
 * subscriber has asked for a chunk that has not come; when it asks for nothing, the body
 * is not read, and the server's silence that follows is back-pressure: the clock then
 * stands still, and starts again, from zero, when the subscriber asks again. The attempt
 * is its own {@link StreamTimeouts.Timer}, armed for the earliest moment it could be
 * late and, when that comes after bytes came, armed again for the new deadline, the way
 * Netty's idle-state handlers do: a buffer costs a clock read, and an attempt that ends
 * long before its deadline costs no timer task at all.
 * <p>
 * Written by hand because no Reactor operator reads a resource lazily with these rules:
 * flattening iterables of chunks (one per buffer) read each buffer whole, or held buffers
 * that a cancel could not release, and queued what came. Every signal to the subscriber
 * is sent from one drain loop, so that the timer, the body and the subscriber's requests
 * may act from any thread.
 *
 * @param <T> the type of the chunks
 */
final class ChunkStream<T> extends FluxOperator<DataBuffer, T> {

	private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

	private final ChunkReader<T> reader;

	private final int maxEventSize;

	private final StreamTimeouts limits;

	private final Runnable answerEnded;

	private final Progress progress;

	/**
	 * Read a body.
	 * @param body the buffers of one attempt's response body, or its failure; subscribing
	 * starts the exchange
	 * @param reader reads one event's data into a chunk
	 * @param maxEventSize most bytes one line or one event's data may hold
	 * @param limits the response and idle limits, and where their timer runs
	 * @param answerEnded told of {@code data: [DONE]}, before the subscriber, when no
	 * buffer is asked for that has not come
	 * @param progress counts the chunks handed on, across attempts
	 */
	ChunkStream(Flux<DataBuffer> body, ChunkReader<T> reader, int maxEventSize, StreamTimeouts limits,
			Runnable answerEnded, Progress progress) {
		super(body);
		this.reader = reader;
		this.maxEventSize = maxEventSize;
		this.limits = limits;
		this.answerEnded = answerEnded;
		this.progress = progress;
	}

	@Override
	public void subscribe(CoreSubscriber<? super T> actual) {
		this.source.subscribe(new Reader<>(actual, this));
	}

	static boolean isDone(byte[] data, int offset, int length) {
		int start = offset;
		int end = offset + length;
		while (start < end && data[start] <= ' ') {
			start++;
		}
		while (end > start && data[end - 1] <= ' ') {
			end--;
		}
		return end - start == DONE.length && Arrays.equals(data, start, end, DONE, 0, DONE.length);
	}

	/**
	 * Reads the data of one event into a chunk.
	 *
	 * @param <T> the type of the chunks
	 */
	@FunctionalInterface
	interface ChunkReader<T> {

		/**
		 * Read a chunk.
		 * @param data the bytes that hold the event's data, valid only during the call
		 * @param offset where the data starts
		 * @param length how many bytes it has
		 * @return the chunk
		 * @throws RuntimeException if the data is not a chunk
		 */
		T read(byte[] data, int offset, int length);

	}

	/** How many chunks a stream has handed on, across its attempts, and whether it ended. */
	static final class Progress {

		private static final AtomicIntegerFieldUpdater<Progress> CHUNKS = AtomicIntegerFieldUpdater
			.newUpdater(Progress.class, "chunks");

		private volatile int chunks;

		private volatile boolean ended;

		int chunks() {
			return this.chunks;
		}

		boolean ended() {
			return this.ended;
		}

		void end() {
			this.ended = true;
		}

		// Counted by one attempt at a time: an ordered store is enough, and costs no fence.
		void delivered() {
			CHUNKS.lazySet(this, this.chunks + 1);
		}

	}

	/** Reads one subscription to the body; its timer is itself. */
	private static final class Reader<T> extends StreamTimeouts.Timer implements CoreSubscriber<DataBuffer>, Subscription {

		private static final int READING = 0;

		private static final int TERMINATED = 1;

		private static final AtomicIntegerFieldUpdater<Reader> STATE = AtomicIntegerFieldUpdater
			.newUpdater(Reader.class, "state");

		private static final AtomicIntegerFieldUpdater<Reader> WIP = AtomicIntegerFieldUpdater.newUpdater(Reader.class,
				"wip");

		private static final AtomicLongFieldUpdater<Reader> REQUESTED = AtomicLongFieldUpdater
			.newUpdater(Reader.class, "requested");

		private static final AtomicReferenceFieldUpdater<Reader, DataBuffer> ARRIVED = AtomicReferenceFieldUpdater
			.newUpdater(Reader.class, DataBuffer.class, "arrived");

		private static final AtomicReferenceFieldUpdater<Reader, Throwable> LATE = AtomicReferenceFieldUpdater
			.newUpdater(Reader.class, Throwable.class, "late");

		private final CoreSubscriber<? super T> actual;

		private final ChunkReader<T> reader;

		private final StreamTimeouts limits;

		private final Runnable answerEnded;

		private final Progress progress;

		private final ServerSentEventSplitter splitter;

		private @Nullable Subscription upstream;

		// READING until the subscriber had its last signal or cancelled.
		private volatile int state;

		private volatile int wip;

		// Chunks the subscriber asked for that it has not had yet.
		private volatile long requested;

		// The buffer asked for last, until the drain loop takes it.
		private volatile @Nullable DataBuffer arrived;

		private volatile boolean bodyEnded;

		// Written before bodyEnded.
		private @Nullable Throwable bodyFailure;

		// The timeout, for the drain loop to send.
		private volatile @Nullable Throwable late;

		// From when the current limit counts: the start, the last bytes of a begun answer,
		// or the request that ended a pause.
		private volatile long since;

		private volatile boolean answering;

		// Used by the drain loop only: a buffer was asked for and has not been taken yet;
		// the splitter holds an event not yet handed on; the splitter was told of the end.
		private boolean awaiting;

		private boolean ready;

		private boolean endRead;

		Reader(CoreSubscriber<? super T> actual, ChunkStream<T> stream) {
			super(stream.limits);
			this.actual = actual;
			this.reader = stream.reader;
			this.limits = stream.limits;
			this.answerEnded = stream.answerEnded;
			this.progress = stream.progress;
			this.splitter = new ServerSentEventSplitter(stream.maxEventSize);
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			if (Operators.validate(this.upstream, subscription)) {
				this.upstream = subscription;
				this.since = this.limits.now();
				this.actual.onSubscribe(this);
				if (this.state == READING) {
					arm(this.limits.response().toNanos());
				}
			}
		}

		@Override
		public void onNext(DataBuffer buffer) {
			if (this.state != READING) {
				DataBufferUtils.release(buffer);
				return;
			}
			if (this.answering) {
				this.since = this.limits.now();
			}
			DataBuffer previous = ARRIVED.getAndSet(this, buffer);
			if (previous != null) {
				// More than was asked for: not expected of a body, but nothing may leak.
				DataBufferUtils.release(previous);
			}
			drain();
		}

		@Override
		public void onError(Throwable failure) {
			if (this.state != READING) {
				return;
			}
			this.bodyFailure = failure;
			this.bodyEnded = true;
			disarm();
			drain();
		}

		@Override
		public void onComplete() {
			if (this.state != READING) {
				return;
			}
			this.bodyEnded = true;
			disarm();
			drain();
		}

		@Override
		public void request(long n) {
			if (Operators.validate(n)) {
				// Nothing was asked of the server until now: its silence counts from here.
				if (this.requested == 0) {
					this.since = this.limits.now();
				}
				Operators.addCap(REQUESTED, this, n);
				drain();
			}
		}

		@Override
		public void cancel() {
			if (STATE.compareAndSet(this, READING, TERMINATED)) {
				disarm();
				upstream().cancel();
				drain();
			}
		}

		@Override
		long nanosLeft(long now) {
			return (this.state != READING || this.bodyEnded) ? ENDED : nanosLeft(this.answering, now);
		}

		// While nothing is asked for, whatever the server does is not late: a whole limit is
		// left.
		private long nanosLeft(boolean answering, long now) {
			long limit = answering ? this.limits.idle().toNanos() : this.limits.response().toNanos();
			return (this.requested == 0) ? limit : this.since + limit - now;
		}

		// The deadline may have come: late, or armed again for the deadline the last bytes
		// set.
		@Override
		public void run() {
			if (this.state != READING || this.bodyEnded) {
				return;
			}
			boolean answering = this.answering;
			long left = nanosLeft(answering, this.limits.now());
			if (left > 0) {
				arm(left);
				return;
			}
			if (STATE.compareAndSet(this, READING, TERMINATED)) {
				disarm();
				upstream().cancel();
				this.late = this.limits.timeout(answering);
				drain();
			}
		}

		// Every signal to the subscriber, and every use of the splitter, is made here, by
		// one thread at a time.
		private void drain() {
			if (WIP.getAndIncrement(this) != 0) {
				return;
			}
			int missed = 1;
			do {
				if (this.state == READING) {
					read();
				}
				if (this.state != READING) {
					discard();
				}
				missed = WIP.addAndGet(this, -missed);
			}
			while (missed != 0);
		}

		private void read() {
			long requested = this.requested;
			long delivered = 0;
			ServerSentEventSplitter splitter = this.splitter;
			while (true) {
				T chunk;
				try {
					if (!this.ready) {
						this.ready = advance();
						if (!this.ready) {
							if (this.bodyEnded && this.endRead) {
								bodyEndedBeforeDone();
							}
							break;
						}
					}
					if (isDone(splitter.data(), splitter.offset(), splitter.length())) {
						done();
						return;
					}
					if (delivered == requested) {
						requested = this.requested;
						if (delivered == requested) {
							break;
						}
					}
					chunk = this.reader.read(splitter.data(), splitter.offset(), splitter.length());
				}
				catch (RuntimeException ex) {
					fail(ex);
					return;
				}
				this.ready = false;
				if (!this.answering) {
					answerBegins();
				}
				this.actual.onNext(chunk);
				this.progress.delivered();
				delivered++;
				if (this.state != READING) {
					return;
				}
			}
			if (delivered != 0 && requested != Long.MAX_VALUE) {
				REQUESTED.addAndGet(this, -delivered);
			}
		}

		// Find the next event, taking in the buffer that came, or asking for the next one:
		// true when the splitter holds one. One buffer is asked for ahead of the
		// subscriber's requests, so that a [DONE] in it completes a subscriber that asked
		// for no more than all the chunks; the events in it are read only when asked for.
		private boolean advance() {
			while (true) {
				if (this.splitter.next()) {
					return true;
				}
				// Read before the buffer: the last buffer comes before the end.
				boolean ended = this.bodyEnded;
				DataBuffer buffer = ARRIVED.getAndSet(this, null);
				if (buffer != null) {
					this.awaiting = false;
					this.splitter.feed(buffer);
					continue;
				}
				if (ended) {
					if (!this.endRead) {
						this.endRead = true;
						// A failed body's cut-off event is not handed on: it may be cut anywhere.
						if (this.bodyFailure == null && this.splitter.end()) {
							return true;
						}
					}
					return false;
				}
				if (this.awaiting) {
					return false;
				}
				this.awaiting = true;
				upstream().request(1);
			}
		}

		private void answerBegins() {
			this.since = this.limits.now();
			this.answering = true;
			// The idle limit may be the shorter one: the timer armed for the response limit
			// would notice a silence too late.
			if (this.limits.idle().compareTo(this.limits.response()) < 0 && this.state == READING) {
				arm(this.limits.idle().toNanos());
			}
		}

		// data: [DONE]: the answer is complete, whatever the rest of the body holds. Only
		// one buffer is ever asked for, and this one has come: the body is told of the end
		// with nothing asked for, and its end, which it may signal meanwhile, is ignored.
		private void done() {
			if (STATE.compareAndSet(this, READING, TERMINATED)) {
				disarm();
				this.answerEnded.run();
				this.actual.onComplete();
			}
		}

		private void bodyEndedBeforeDone() {
			Throwable failure = this.bodyFailure;
			if (STATE.compareAndSet(this, READING, TERMINATED)) {
				this.actual.onError((failure != null) ? failure : new KlusterInvalidResponseException(
						"The stream from kluster.ai ended before data: [DONE]; the answer may be incomplete", null));
			}
		}

		// A chunk that cannot be read, or an event too large: the body is not read further.
		private void fail(RuntimeException failure) {
			if (STATE.compareAndSet(this, READING, TERMINATED)) {
				disarm();
				upstream().cancel();
				this.actual.onError(failure);
			}
		}

		// After the end: release what is held, and send the timeout that ended the stream.
		private void discard() {
			this.ready = false;
			this.splitter.release();
			DataBuffer buffer = ARRIVED.getAndSet(this, null);
			if (buffer != null) {
				DataBufferUtils.release(buffer);
			}
			Throwable late = LATE.getAndSet(this, null);
			if (late != null) {
				this.actual.onError(late);
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
