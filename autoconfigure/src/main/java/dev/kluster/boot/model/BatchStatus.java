package dev.kluster.boot.model;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Status of a {@link Batch}. A batch starts {@link #VALIDATING}, then runs
 * {@link #IN_PROGRESS} and {@link #FINALIZING}, and ends in one of the
 * {@linkplain #isTerminal() terminal} statuses.
 *
 * @since 0.1.0
 */
public enum BatchStatus {

	/** The input file is being checked. */
	VALIDATING,

	/** The input file was refused: see the batch's errors. Terminal. */
	FAILED,

	/** Requests are being run. */
	IN_PROGRESS,

	/** All requests ran; the results are being written. */
	FINALIZING,

	/** The results are ready. Terminal. */
	COMPLETED,

	/** The completion window passed first; results hold what was done. Terminal. */
	EXPIRED,

	/** A cancel was asked for; kluster.ai may take up to 10 minutes. */
	CANCELLING,

	/** The batch was cancelled; results hold what was done. Terminal. */
	CANCELLED,

	/**
	 * A status this version does not know. Read as not terminal, so that waiting goes on
	 * until a known terminal status arrives.
	 */
	UNKNOWN;

	/**
	 * Whether a batch in this status will not change any more.
	 * @return {@code true} for {@link #COMPLETED}, {@link #FAILED}, {@link #EXPIRED} and
	 * {@link #CANCELLED}
	 */
	public boolean isTerminal() {
		return this == COMPLETED || this == FAILED || this == EXPIRED || this == CANCELLED;
	}

	/**
	 * Name of the status on the wire.
	 * @return the lower-case wire name, e.g. {@code in_progress}
	 */
	@JsonValue
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The status with the given wire name.
	 * @param wireName the name as kluster.ai sends it
	 * @return the status, {@link #UNKNOWN} for a name this version does not know
	 */
	@JsonCreator
	public static BatchStatus fromWireName(String wireName) {
		for (BatchStatus status : values()) {
			if (status != UNKNOWN && status.wireName().equals(wireName)) {
				return status;
			}
		}
		return UNKNOWN;
	}

}
