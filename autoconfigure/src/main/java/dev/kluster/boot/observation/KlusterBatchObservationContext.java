package dev.kluster.boot.observation;

import org.jspecify.annotations.Nullable;

import dev.kluster.boot.model.Batch;
import dev.kluster.boot.model.BatchResult;
import dev.kluster.boot.model.BatchStatus;

/**
 * What an observation of one call of the kluster.ai batch client knows: the operation,
 * the server, the batch and file it concerns, and how many requests it uploaded and
 * results it read. Requests and results themselves are never kept.
 * <p>
 * Like {@link KlusterChatObservationContext} it is a {@link io.micrometer.observation.transport.SenderContext SenderContext} without a
 * carrier: tracing bridges create a {@code CLIENT} span, and the HTTP exchanges of
 * {@code WebClient}, which run as its children, write the trace headers.
 *
 * @since 0.1.0
 */
public class KlusterBatchObservationContext extends KlusterObservationContext {

	/** {@code POST /files} of a batch input file. */
	public static final String UPLOAD = "upload";

	/** {@code GET /files/{id}}. */
	public static final String FILE = "file";

	/** {@code POST /batches}. */
	public static final String CREATE = "create";

	/** Upload, then create. */
	public static final String SUBMIT = "submit";

	/** {@code GET /batches/{id}}. */
	public static final String RETRIEVE = "retrieve";

	/** {@code POST /batches/{id}/cancel}. */
	public static final String CANCEL = "cancel";

	/** {@code GET /batches}, all pages taken. */
	public static final String LIST = "list";

	/** Polling a batch until it ends. */
	public static final String AWAIT_COMPLETION = "await_completion";

	/** Reading a batch's output and error files. */
	public static final String RESULTS = "results";

	/** Reading one result file. */
	public static final String READ_RESULTS = "read_results";

	/** Submit, wait and read the results. */
	public static final String RUN = "run";

	private final String operation;

	private @Nullable String batchId;

	private @Nullable String fileId;

	private @Nullable BatchStatus status;

	// Written by the thread that delivers the signals, read once when the observation
	// stops, as for the chunks of a streamed chat.

	private long requestCount;

	private boolean uploaded;

	private long successfulResults;

	private long failedResults;

	/**
	 * Create a context.
	 * @param operation the operation, one of the constants of this class
	 */
	public KlusterBatchObservationContext(String operation) {
		this.operation = operation;
	}

	/**
	 * The operation, the value of {@code kluster.batch.operation}.
	 * @return the operation
	 */
	public String getOperation() {
		return this.operation;
	}

	/**
	 * The batch the call concerns.
	 * @return the batch id, or {@code null} when the call concerns none or it is not
	 * known yet
	 */
	public @Nullable String getBatchId() {
		return this.batchId;
	}

	/**
	 * Set the batch the call concerns.
	 * @param batchId the batch id
	 */
	public void setBatchId(@Nullable String batchId) {
		this.batchId = batchId;
	}

	/**
	 * The file the call concerns: the uploaded file, the input file of a created batch,
	 * or the result file read.
	 * @return the file id, or {@code null}
	 */
	public @Nullable String getFileId() {
		return this.fileId;
	}

	/**
	 * Set the file the call concerns.
	 * @param fileId the file id
	 */
	public void setFileId(@Nullable String fileId) {
		this.fileId = fileId;
	}

	/**
	 * The last status of the batch the call saw.
	 * @return the status, or {@code null}
	 */
	public @Nullable BatchStatus getStatus() {
		return this.status;
	}

	/**
	 * Note a state of the batch: its id, status and, when not known yet, input file.
	 * @param batch the batch as the API answered it
	 */
	public void setBatch(Batch batch) {
		this.batchId = batch.id();
		this.status = batch.status();
		if (this.fileId == null) {
			this.fileId = batch.inputFileId();
		}
	}

	/**
	 * Requests written to the upload so far.
	 * @return the number of requests
	 */
	public long getRequestCount() {
		return this.requestCount;
	}

	/**
	 * Note one more request written to the upload.
	 */
	public void requestWritten() {
		this.requestCount++;
	}

	/**
	 * Whether kluster.ai accepted the uploaded file, so that its requests count as
	 * uploaded.
	 * @return whether the upload was accepted
	 */
	public boolean isUploaded() {
		return this.uploaded;
	}

	/**
	 * Note that kluster.ai accepted the uploaded file.
	 */
	public void setUploaded() {
		this.uploaded = true;
	}

	/**
	 * Note one result read.
	 * @param result the result
	 */
	public void resultRead(BatchResult result) {
		if (result.isSuccess()) {
			this.successfulResults++;
		}
		else {
			this.failedResults++;
		}
	}

	/**
	 * Results read that succeeded.
	 * @return the number of results
	 */
	public long getSuccessfulResults() {
		return this.successfulResults;
	}

	/**
	 * Results read that failed, from the output file or the error file.
	 * @return the number of results
	 */
	public long getFailedResults() {
		return this.failedResults;
	}

}
