package dev.kluster.boot.batch;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.kluster.boot.model.Batch;
import dev.kluster.boot.model.BatchRequest;
import dev.kluster.boot.model.BatchResult;
import dev.kluster.boot.model.KlusterFile;
import dev.kluster.boot.error.KlusterBatchNotCompletedException;
import dev.kluster.boot.model.BatchOptions;

/**
 * Reactive client of kluster.ai's batch jobs: upload a stream of requests as a JSON Lines
 * file, run it as a batch, follow the batch and read its results as a stream. A batch is
 * made of chat completion requests or of embedding requests
 * ({@link BatchRequest#EMBEDDINGS}), all of one kind. Nothing is
 * sent until the returned publisher is subscribed, and each subscription starts over.
 * Every failure is a {@link dev.kluster.boot.error.KlusterException}. To queue a single
 * chat completion as a job, see
 * {@link dev.kluster.boot.client.KlusterChatClient#submitAsync}.
 * <p>
 * Memory does not grow with the batch: requests are written to the upload as they come
 * and results are read from the download line by line, both at the pace of the
 * subscriber.
 * <p>
 * Results come in the order of the result files, which is not the order of the requests:
 * match them by {@link BatchResult#customId()}.
 *
 * @since 0.1.0
 */
public interface KlusterBatchClient {

	/**
	 * Upload requests as a batch input file ({@code POST /files}, {@code purpose=batch}),
	 * streamed as they come. Each request is validated, with the chat (or embedding)
	 * defaults applied, before its line is written; the first that breaks kluster.ai's rules fails the
	 * upload with a {@link KlusterBatchValidationException} naming its {@code custom_id},
	 * and a file that would pass the size limit fails it with a
	 * {@link KlusterBatchTooLargeException}. Either way the upload is broken off before
	 * the file is complete, so that no file is created.
	 * @param requests the requests, each with a {@code custom_id} unique in the batch
	 * @return the uploaded file
	 */
	Mono<KlusterFile> upload(Flux<BatchRequest> requests);

	/**
	 * Read a file's details ({@code GET /files/{id}}).
	 * @param fileId the file id
	 * @return the file
	 */
	Mono<KlusterFile> file(String fileId);

	/**
	 * Create a batch of an uploaded file with the default completion window.
	 * @param inputFileId the uploaded file of requests
	 * @return the batch, usually {@code validating}
	 */
	default Mono<Batch> create(String inputFileId) {
		return create(inputFileId, BatchOptions.DEFAULTS);
	}

	/**
	 * Create a batch of an uploaded file ({@code POST /batches}).
	 * @param inputFileId the uploaded file of requests
	 * @param options the completion window and metadata
	 * @return the batch, usually {@code validating}
	 */
	Mono<Batch> create(String inputFileId, BatchOptions options);

	/**
	 * Upload requests and create a batch of them: {@link #upload(Flux)}, then
	 * {@link #create(String, BatchOptions)}. Keep the batch's id to find it again, for
	 * example after a restart.
	 * @param requests the requests
	 * @param options the completion window and metadata
	 * @return the batch, usually {@code validating}
	 */
	Mono<Batch> submit(Flux<BatchRequest> requests, BatchOptions options);

	/**
	 * Read a batch ({@code GET /batches/{id}}).
	 * @param batchId the batch id
	 * @return the batch
	 */
	Mono<Batch> retrieve(String batchId);

	/**
	 * Cancel a batch ({@code POST /batches/{id}/cancel}). The batch is
	 * {@code cancelling}, for up to 10 minutes, before it is {@code cancelled}.
	 * @param batchId the batch id
	 * @return the batch, usually {@code cancelling}
	 */
	Mono<Batch> cancel(String batchId);

	/**
	 * List the account's batches, newest first, 20 to a page.
	 * @return the batches
	 * @see #list(int)
	 */
	default Flux<Batch> list() {
		return list(20);
	}

	/**
	 * List the account's batches, newest first ({@code GET /batches}). Pages are fetched
	 * on demand: the next page only when the subscriber has taken all of the previous one,
	 * so that {@code list(10).take(5)} makes one call.
	 * @param pageSize the batches per page, 1 to 100
	 * @return the batches
	 */
	Flux<Batch> list(int pageSize);

	/**
	 * Follow a batch until it ends. Polls it with the configured interval and backoff and
	 * emits the batch each time its status or request counts change, starting with its
	 * current state; completes after the batch reaches a terminal status
	 * ({@code completed}, {@code failed}, {@code expired} or {@code cancelled}), which is
	 * the last element. A batch that failed carries its errors in
	 * {@link Batch#errorList()}.
	 * @param batchId the batch id
	 * @return the batch's changes, ending with its terminal state
	 */
	Flux<Batch> awaitCompletion(String batchId);

	/**
	 * Read a batch's results: its output file, then its error file, each line by line.
	 * @param batch the batch, as it ended
	 * @return the results, successes and failures
	 */
	Flux<BatchResult> results(Batch batch);

	/**
	 * Read a result file line by line ({@code GET /files/{id}/content}).
	 * @param fileId an output or error file id
	 * @return the results
	 */
	Flux<BatchResult> readResults(String fileId);

	/**
	 * Run requests as a batch with the default options.
	 * @param requests the requests
	 * @return the results
	 * @see #run(Flux, BatchOptions)
	 */
	default Flux<BatchResult> run(Flux<BatchRequest> requests) {
		return run(requests, BatchOptions.DEFAULTS);
	}

	/**
	 * Run requests as a batch: {@linkplain #submit submit} them,
	 * {@linkplain #awaitCompletion wait} for the batch to end and read its
	 * {@linkplain #results(Batch) results}. When the batch expired or was cancelled, the
	 * results of the requests that ran come first, then the flux fails with a
	 * {@link KlusterBatchNotCompletedException}; when it failed, there are no results and
	 * the exception lists the batch's errors. Cancelling the subscription stops waiting
	 * but not the batch, whose id is logged when it is created.
	 * @param requests the requests
	 * @param options the completion window and metadata
	 * @return the results, successes and failures, in no particular order
	 */
	Flux<BatchResult> run(Flux<BatchRequest> requests, BatchOptions options);

}
