package dev.kluster.docs.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kluster.boot.model.BatchOptions;
import dev.kluster.boot.batch.DefaultKlusterBatchClient;
import dev.kluster.boot.batch.KlusterBatchClient;
import dev.kluster.boot.batch.KlusterBatchSettings;
import dev.kluster.boot.client.ChatDefaults;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.model.Batch;
import dev.kluster.boot.model.BatchRequest;
import dev.kluster.boot.model.BatchResult;
import reactor.core.publisher.Flux;

/**
 * The fragments of batch.md, each in a method that gives it what it uses.
 */
class BatchSnippets {

	private final Logger log = LoggerFactory.getLogger(BatchSnippets.class);

	private final KlusterBatchClient batches;

	private final Jobs jobs = (id) -> {
	};

	final List<BatchResult> stored = new ArrayList<>();

	BatchSnippets(KlusterBatchClient batches) {
		this.batches = batches;
	}

	static KlusterBatchClient batchClient(String apiKey) {
		// tag::batch-client-by-hand[]
		KlusterConnection connection = KlusterConnection.builder()
			.apiKey(apiKey)                              // to https://api.kluster.ai/v1 unless .baseUrl(...)
			.build();
		KlusterBatchClient batches = DefaultKlusterBatchClient.builder(connection)
			.defaults(ChatDefaults.model("klusterai/Meta-Llama-3.3-70B-Instruct-Turbo"))
			// polls every 30 s while the batch changes, backing off to 10 min while it does not
			.settings(KlusterBatchSettings.defaults().withPolling(Duration.ofSeconds(30), Duration.ofMinutes(10), 1.5))
			.build();
		// end::batch-client-by-hand[]
		return batches;
	}

	// batchId: the id stored by step 1, read back perhaps after a restart.
	void submitAndFollow(Flux<BatchRequest> requests, String batchId) {
		// tag::batch-submit-and-follow[]
		// 1. Upload and create. Store the id: the batch runs on, and is billed, whatever you do.
		Batch batch = batches.submit(requests, BatchOptions.DEFAULTS).block();
		jobs.save(batch.id());

		// 2. Later, perhaps after a restart: follow it until it ends.
		batches.awaitCompletion(batchId)
			.doOnNext((b) -> log.info("{}: {} of {} done", b.status(), b.requestCounts().completed(),
					b.requestCounts().total()))
			.last()
			// 3. Read what it produced: the output file, then the error file.
			.flatMapMany(batches::results)
			.subscribe(this::store);
		// end::batch-submit-and-follow[]
	}

	Flux<BatchResult> inParts(Flux<BatchRequest> requests) {
		Flux<BatchResult> results =
		// tag::batch-window[]
		requests.window(50_000)                       // your plan's "max batch requests" is the other limit
			.concatMap((part) -> batches.run(part))   // one batch after the other
		// end::batch-window[]
		;
		return results;
	}

	private void store(BatchResult result) {
		this.stored.add(result);
	}

	/** Where the application keeps the ids of its batches. */
	interface Jobs {

		void save(String batchId);

	}

}
