package dev.kluster.boot.batch;

import java.util.List;

import dev.kluster.boot.validation.KlusterValidationException;
import dev.kluster.boot.validation.Violation;

/**
 * A request of a batch breaks kluster.ai's rules, so the batch was not uploaded: no file
 * was created. Names the request by its {@code custom_id} and its line in the file.
 *
 * @since 0.1.0
 */
public class KlusterBatchValidationException extends KlusterValidationException {

	private final String customId;

	private final long line;

	/**
	 * Create an exception.
	 * @param customId the {@code custom_id} of the request at fault
	 * @param line the request's position in the batch, from 1
	 * @param violations what is wrong with it
	 */
	public KlusterBatchValidationException(String customId, long line, List<Violation> violations) {
		super(violations);
		this.customId = customId;
		this.line = line;
	}

	@Override
	public String getMessage() {
		return "Batch not uploaded: request '" + this.customId + "' (line " + this.line + ") is invalid. "
				+ super.getMessage();
	}

	/**
	 * The {@code custom_id} of the request at fault.
	 * @return the id
	 */
	public String customId() {
		return this.customId;
	}

	/**
	 * The request's position in the batch, which is its line in the file.
	 * @return the line, from 1
	 */
	public long line() {
		return this.line;
	}

}
