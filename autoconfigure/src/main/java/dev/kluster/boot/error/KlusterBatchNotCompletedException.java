package dev.kluster.boot.error;

import java.util.stream.Collectors;

import dev.kluster.boot.model.Batch;

/**
 * A batch ended without completing: it {@linkplain dev.kluster.boot.model.BatchStatus#FAILED
 * failed}, {@linkplain dev.kluster.boot.model.BatchStatus#EXPIRED expired} or was
 * {@linkplain dev.kluster.boot.model.BatchStatus#CANCELLED cancelled}. The message lists
 * the batch's errors; {@link #batch()} has them all.
 *
 * @since 0.1.0
 */
public class KlusterBatchNotCompletedException extends KlusterException {

	private final Batch batch;

	/**
	 * Create an exception whose message has no bearer token of the batch's errors.
	 * @param batch the batch as it ended
	 */
	public KlusterBatchNotCompletedException(Batch batch) {
		this(batch, KlusterRedaction.bearerTokens());
	}

	/**
	 * Create an exception.
	 * @param batch the batch as it ended
	 * @param redaction what is removed from the batch's errors, server text that may echo
	 * the key, before they go into the message
	 */
	public KlusterBatchNotCompletedException(Batch batch, KlusterRedaction redaction) {
		super(redaction.redact(describe(batch)));
		this.batch = batch;
	}

	private static String describe(Batch batch) {
		String status = (batch.status() != null) ? batch.status().wireName() : "without a status";
		StringBuilder message = new StringBuilder("Batch ").append(batch.id()).append(" ended ").append(status);
		if (batch.requestCounts() != null) {
			message.append(" with ")
				.append(batch.requestCounts().completed())
				.append(" of ")
				.append(batch.requestCounts().total())
				.append(" requests completed");
		}
		if (!batch.errorList().isEmpty()) {
			message.append(": ")
				.append(batch.errorList().stream().map(Object::toString).collect(Collectors.joining("; ")));
		}
		return message.toString();
	}

	/**
	 * The batch as it ended.
	 * @return the batch
	 */
	public Batch batch() {
		return this.batch;
	}

}
