package dev.kluster.boot.batch;

import dev.kluster.boot.error.KlusterException;

/**
 * A batch would make a file larger than the limit, so it was not uploaded: the upload
 * was broken off before the file was complete, and no file was created. Split the
 * requests into several batches.
 *
 * @since 0.1.0
 */
public class KlusterBatchTooLargeException extends KlusterException {

	private final String customId;

	private final long line;

	private final long limit;

	/**
	 * Create an exception.
	 * @param customId the {@code custom_id} of the first request that did not fit
	 * @param line the request's position in the batch, from 1
	 * @param limit the limit in bytes
	 */
	public KlusterBatchTooLargeException(String customId, long line, long limit) {
		super("Batch not uploaded: request '" + customId + "' (line " + line + ") would make the file larger than "
				+ limit + " bytes. Split the requests into several batches, for example with "
				+ "Flux.window(maxRequests).concatMap(client::run).");
		this.customId = customId;
		this.line = line;
		this.limit = limit;
	}

	/**
	 * The {@code custom_id} of the first request that did not fit.
	 * @return the id
	 */
	public String customId() {
		return this.customId;
	}

	/**
	 * The position of the first request that did not fit.
	 * @return the line, from 1
	 */
	public long line() {
		return this.line;
	}

	/**
	 * The limit that was reached.
	 * @return the largest file size in bytes
	 */
	public long limit() {
		return this.limit;
	}

}
