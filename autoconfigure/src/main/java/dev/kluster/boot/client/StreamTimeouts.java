package dev.kluster.boot.client;

import java.time.Duration;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import dev.kluster.boot.error.KlusterTimeoutException;
import dev.kluster.boot.transport.KlusterTimeouts;

/**
 * The time limits of a streamed attempt, and the timers that apply them: the answer must
 * begin within the response timeout, and after that the server may not fall silent for
 * longer than the stream idle timeout. {@link ChunkStream} applies the limits, and
 * {@link CompleteAtEnd} times its grace time with the same timers.
 * <p>
 * A deadline that is far (more than {@link #NEAR} away, as the response and idle limits
 * usually are) gets no timer of its own: it is only noted, and a sweep every
 * {@link #SWEEP} looks at what was noted, drops what has ended, and arms a timer of its
 * own for each deadline that has come near. A stream that ends before its deadline comes
 * near, as nearly all do, schedules and cancels no task at all: scheduling one per stream
 * on Reactor's parallel scheduler, and waking its thread for each, was most of what the
 * timers of a short stream cost. The sweep itself runs only while something is noted.
 * A deadline is still kept to the nanosecond: the timer of its own is armed for it.
 */
final class StreamTimeouts {

	/** How often what was noted is looked at. */
	static final Duration SWEEP = Duration.ofMillis(250);

	/** Deadlines up to this far away get a timer of their own at once. */
	static final Duration NEAR = SWEEP.multipliedBy(2);

	private static final long NONE = Long.MIN_VALUE;

	private final Duration response;

	private final Duration idle;

	private final Supplier<Scheduler> scheduler;

	private final LongSupplier nanoClock;

	private final Queue<Note> noted = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean sweeping = new AtomicBoolean();

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
	 * @param scheduler where the timers run
	 * @param nanoClock a monotonic clock in nanoseconds
	 */
	StreamTimeouts(Duration response, Duration idle, Scheduler scheduler, LongSupplier nanoClock) {
		this.response = response;
		this.idle = idle;
		this.scheduler = () -> scheduler;
		this.nanoClock = nanoClock;
	}

	Duration response() {
		return this.response;
	}

	Duration idle() {
		return this.idle;
	}

	long now() {
		return this.nanoClock.getAsLong();
	}

	KlusterTimeoutException timeout(boolean answering) {
		return answering
				? new KlusterTimeoutException("kluster.ai's stream was silent for longer than " + this.idle + " ("
						+ KlusterTimeouts.STREAM_IDLE_TIMEOUT_PROPERTY + ")", KlusterTimeouts.STREAM_IDLE_TIMEOUT_PROPERTY,
						this.idle, new TimeoutException())
				: new KlusterTimeoutException(KlusterTimeouts.RESPONSE_TIMEOUT_PROPERTY, this.response,
						new TimeoutException());
	}

	private void note(Note note) {
		this.noted.offer(note);
		if (this.sweeping.compareAndSet(false, true)) {
			scheduleSweep();
		}
	}

	private void scheduleSweep() {
		this.scheduler.get().schedule(this::sweep, SWEEP.toNanos(), TimeUnit.NANOSECONDS);
	}

	private void sweep() {
		long now = now();
		for (Iterator<Note> notes = this.noted.iterator(); notes.hasNext();) {
			Note note = notes.next();
			Timer timer = note.timer;
			long left = (timer != null) ? timer.nanosLeft(now) : NONE;
			if (left == NONE) {
				notes.remove();
			}
			else if (left <= NEAR.toNanos()) {
				notes.remove();
				timer.noted = 0;
				timer.armOwn(Math.max(left, 0));
			}
		}
		this.sweeping.set(false);
		// Something noted since the look: sweep again; else the next note starts the sweep.
		if (!this.noted.isEmpty() && this.sweeping.compareAndSet(false, true)) {
			scheduleSweep();
		}
	}

	/** A note of a far deadline, which forgets its timer once the timer has ended. */
	private static final class Note {

		volatile @Nullable Timer timer;

		Note(Timer timer) {
			this.timer = timer;
		}

	}

	/**
	 * Something timed by these timers: one deadline at a time, which it computes when
	 * asked. {@link #run()} is called when the deadline may have come, and decides, from
	 * what it knows then, whether it has, and whether to {@link #arm(long) arm} again.
	 */
	abstract static class Timer implements Runnable {

		/** {@link #nanosLeft(long)} of a timer that has ended. */
		static final long ENDED = NONE;

		private static final AtomicIntegerFieldUpdater<Timer> NOTED = AtomicIntegerFieldUpdater.newUpdater(Timer.class,
				"noted");

		private final StreamTimeouts timers;

		private final Disposable.Swap own = Disposables.swap();

		private final Note note = new Note(this);

		private volatile int noted;

		Timer(StreamTimeouts timers) {
			this.timers = timers;
		}

		/**
		 * How long until the deadline.
		 * @param now the clock's time
		 * @return nanoseconds from now, 0 or less when it has come, or {@link #ENDED}
		 */
		abstract long nanosLeft(long now);

		/**
		 * Look again in the given time: with a timer of its own when that is near, else at
		 * a sweep.
		 * @param nanos how long from now
		 */
		final void arm(long nanos) {
			if (nanos <= NEAR.toNanos()) {
				armOwn(nanos);
			}
			else if (NOTED.compareAndSet(this, 0, 1)) {
				this.timers.note(this.note);
			}
		}

		/** Never look again. */
		final void disarm() {
			this.note.timer = null;
			this.own.dispose();
		}

		// Always update, never replace: the timer may be armed again while it runs, and a
		// task replaced without being disposed would go on arming itself beside the new one.
		// Disposing the task that is running is harmless. Once disarmed, a new task is
		// disposed at once.
		private void armOwn(long nanos) {
			this.own.update(this.timers.scheduler.get().schedule(this, nanos, TimeUnit.NANOSECONDS));
		}

	}

}
