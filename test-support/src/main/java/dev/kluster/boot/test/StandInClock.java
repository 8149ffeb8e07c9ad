package dev.kluster.boot.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The clock of a {@link KlusterStandIn}'s files and batches. It stands still until the
 * test {@linkplain #advance(Duration) advances} it, so that a batch moves from one status
 * to the next exactly when the test says so, however long the code under test takes.
 * <p>
 * It starts at the current time, to the second. It never goes back, not even when the
 * stand-in is reset, so that ids and timestamps stay in order across tests.
 *
 * @since 0.1.0
 */
public final class StandInClock extends Clock {

	private final AtomicReference<Instant> now;

	private final ZoneId zone;

	StandInClock() {
		this(new AtomicReference<>(Instant.now().truncatedTo(ChronoUnit.SECONDS)), ZoneOffset.UTC);
	}

	private StandInClock(AtomicReference<Instant> now, ZoneId zone) {
		this.now = now;
		this.zone = zone;
	}

	/**
	 * Move the clock forward.
	 * @param duration how far, not negative
	 * @return the new time
	 */
	public Instant advance(Duration duration) {
		Objects.requireNonNull(duration, "duration");
		if (duration.isNegative()) {
			throw new IllegalArgumentException("The stand-in's clock never goes back: " + duration);
		}
		return this.now.updateAndGet((instant) -> instant.plus(duration));
	}

	@Override
	public Instant instant() {
		return this.now.get();
	}

	@Override
	public ZoneId getZone() {
		return this.zone;
	}

	/**
	 * The same clock seen from another zone: advancing either advances both.
	 */
	@Override
	public Clock withZone(ZoneId zone) {
		return new StandInClock(this.now, zone);
	}

	@Override
	public String toString() {
		return "StandInClock[" + instant() + "]";
	}

}
