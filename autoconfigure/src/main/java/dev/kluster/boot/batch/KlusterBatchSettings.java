package dev.kluster.boot.batch;

import java.time.Duration;
import java.util.Objects;

import org.springframework.util.unit.DataSize;

/**
 * Settings of a {@link DefaultKlusterBatchClient}, usually bound from
 * {@code kluster.batch.*}.
 * <p>
 * Waiting for a batch polls it every {@code pollInterval} while it changes; each poll
 * that finds it unchanged multiplies the pause by {@code pollBackoffMultiplier}, up to
 * {@code maxPollInterval}, and a change brings the pause back to {@code pollInterval}. A
 * poll that fails for a reason that may pass (rate limit, server error other than 501,
 * connection failure or timeout: see
 * {@link dev.kluster.boot.transport.KlusterFailures#isTransient(Throwable, boolean)}) is
 * tried again with the same kind of backoff, at most {@code maxPollRetries} times in a
 * row.
 *
 * @param pollInterval pause between two polls of a batch that is changing
 * @param maxPollInterval longest pause between two polls
 * @param pollBackoffMultiplier factor applied to the pause after a poll that found no
 * change, at least 1
 * @param maxPollRetries failed polls tried again in a row before waiting gives up
 * @param maxFileSize largest input file to upload; a batch that would be larger is
 * refused before it is complete, so nothing is uploaded
 * @param maxResultLineSize largest line of a result file to hold while it arrives: a line
 * that comes in several network reads is buffered until its end, and one that grows past
 * this fails the read
 * @param requestTimeout longest wait for the answer to a call that is not an upload or
 * a download: create, retrieve, cancel, list, file details and asynchronous chat
 * @param completionWindow completion window of batches created without one: {@code 24h},
 * {@code 48h} or {@code 72h}
 * @since 0.1.0
 */
public record KlusterBatchSettings(Duration pollInterval, Duration maxPollInterval, double pollBackoffMultiplier,
		int maxPollRetries, DataSize maxFileSize, DataSize maxResultLineSize, Duration requestTimeout,
		String completionWindow) {

	/**
	 * kluster.ai's limit on the size of a file, 100 MB, read as the smaller 10^8 bytes
	 * rather than 100 MiB so that a file this client accepts is never refused.
	 */
	public static final DataSize MAX_FILE_SIZE = DataSize.ofBytes(100_000_000L);

	/** The default pause between two polls of a batch that is changing: 10 seconds. */
	public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);

	/** The default longest pause between two polls: 5 minutes. */
	public static final Duration DEFAULT_MAX_POLL_INTERVAL = Duration.ofMinutes(5);

	/** The default factor applied to the pause after a poll that found no change: 1.5. */
	public static final double DEFAULT_POLL_BACKOFF_MULTIPLIER = 1.5;

	/** The default number of failed polls tried again in a row: 5. */
	public static final int DEFAULT_MAX_POLL_RETRIES = 5;

	/** The default largest line of a result file held while it arrives: 16 MB. */
	public static final DataSize DEFAULT_MAX_RESULT_LINE_SIZE = DataSize.ofMegabytes(16);

	/** The default longest wait for the answer to a call that is not an upload or a download: 60 seconds. */
	public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

	/** The default completion window of batches created without one: 24 hours. */
	public static final String DEFAULT_COMPLETION_WINDOW = "24h";

	private static final KlusterBatchSettings DEFAULTS = new KlusterBatchSettings(DEFAULT_POLL_INTERVAL,
			DEFAULT_MAX_POLL_INTERVAL, DEFAULT_POLL_BACKOFF_MULTIPLIER, DEFAULT_MAX_POLL_RETRIES, MAX_FILE_SIZE,
			DEFAULT_MAX_RESULT_LINE_SIZE, DEFAULT_REQUEST_TIMEOUT, DEFAULT_COMPLETION_WINDOW);

	/**
	 * Validate the settings.
	 * @param pollInterval pause between two polls of a batch that is changing
	 * @param maxPollInterval longest pause between two polls
	 * @param pollBackoffMultiplier factor applied to the pause after an unchanged poll
	 * @param maxPollRetries failed polls tried again in a row
	 * @param maxFileSize largest input file to upload
	 * @param maxResultLineSize largest line of a result file to hold while it arrives
	 * @param requestTimeout longest wait for the answer to a call
	 * @param completionWindow completion window of batches created without one
	 */
	public KlusterBatchSettings {
		requirePositive(pollInterval, "pollInterval");
		requirePositive(maxPollInterval, "maxPollInterval");
		requirePositive(requestTimeout, "requestTimeout");
		if (maxPollInterval.compareTo(pollInterval) < 0) {
			throw new IllegalArgumentException(
					"maxPollInterval (" + maxPollInterval + ") must not be shorter than pollInterval (" + pollInterval
							+ ")");
		}
		if (!(pollBackoffMultiplier >= 1)) {
			throw new IllegalArgumentException("pollBackoffMultiplier must be at least 1: " + pollBackoffMultiplier);
		}
		if (maxPollRetries < 0) {
			throw new IllegalArgumentException("maxPollRetries must not be negative: " + maxPollRetries);
		}
		Objects.requireNonNull(maxFileSize, "maxFileSize must not be null");
		Objects.requireNonNull(maxResultLineSize, "maxResultLineSize must not be null");
		if (maxFileSize.toBytes() <= 0 || maxFileSize.compareTo(MAX_FILE_SIZE) > 0) {
			throw new IllegalArgumentException(
					"maxFileSize must be positive and at most " + MAX_FILE_SIZE.toBytes() + " bytes: " + maxFileSize);
		}
		if (maxResultLineSize.toBytes() <= 0 || maxResultLineSize.toBytes() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("maxResultLineSize must be positive and under 2 GB: " + maxResultLineSize);
		}
		Objects.requireNonNull(completionWindow, "completionWindow must not be null");
	}

	/**
	 * The defaults: polls every 10 seconds backing off by 1.5 up to 5 minutes, 5 retries of
	 * failed polls, kluster.ai's 100 MB file limit, result lines up to 16 MB, 60 seconds per
	 * call and a 24 hour completion window.
	 * @return the default settings
	 */
	public static KlusterBatchSettings defaults() {
		return DEFAULTS;
	}

	/**
	 * A copy that polls with other pauses.
	 * @param pollInterval pause between two polls of a batch that is changing
	 * @param maxPollInterval longest pause between two polls
	 * @param pollBackoffMultiplier factor applied to the pause after an unchanged poll
	 * @return the copy
	 */
	public KlusterBatchSettings withPolling(Duration pollInterval, Duration maxPollInterval,
			double pollBackoffMultiplier) {
		return new KlusterBatchSettings(pollInterval, maxPollInterval, pollBackoffMultiplier, this.maxPollRetries,
				this.maxFileSize, this.maxResultLineSize, this.requestTimeout, this.completionWindow);
	}

	/**
	 * A copy with another limit on the size of input files.
	 * @param maxFileSize largest input file to upload
	 * @return the copy
	 */
	public KlusterBatchSettings withMaxFileSize(DataSize maxFileSize) {
		return new KlusterBatchSettings(this.pollInterval, this.maxPollInterval, this.pollBackoffMultiplier,
				this.maxPollRetries, maxFileSize, this.maxResultLineSize, this.requestTimeout, this.completionWindow);
	}

	private static void requirePositive(Duration duration, String name) {
		Objects.requireNonNull(duration, name + " must not be null");
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(name + " must be positive: " + duration);
		}
	}

}
