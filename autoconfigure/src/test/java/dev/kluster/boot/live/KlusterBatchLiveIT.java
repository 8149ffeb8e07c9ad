package dev.kluster.boot.live;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.kluster.boot.batch.KlusterBatchClient;
import dev.kluster.boot.model.Batch;
import dev.kluster.boot.model.BatchOptions;
import dev.kluster.boot.model.BatchRequest;
import dev.kluster.boot.model.BatchResult;
import dev.kluster.boot.model.BatchStatus;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch of two requests through the whole pipeline against kluster.ai: upload, batch,
 * polling, results matched by {@code custom_id}. kluster.ai promises a batch within its
 * completion window only, so the test waits {@code -Dkluster.live.batch-wait} (an ISO
 * duration, 15 minutes by default); a batch that has not ended by then is cancelled and
 * the test aborted, not failed: slowness is no incompatibility.
 */
@ExtendWith(KlusterApiKeyCondition.class)
class KlusterBatchLiveIT {

	private static final Duration WAIT = Duration.parse(System.getProperty("kluster.live.batch-wait", "PT15M"));

	@Test
	void tinyBatchEndsWithAResultForEachRequest() {
		LiveKluster.run((context) -> {
			KlusterBatchClient batches = context.getBean(KlusterBatchClient.class);
			Flux<BatchRequest> requests = Flux.just(request("live-probe-1", "Reply with the single word: one"),
					request("live-probe-2", "Reply with the single word: two"));
			Batch submitted = batches.submit(requests, BatchOptions.DEFAULTS.metadata("purpose", "live-probe"))
				.block(LiveKluster.TIMEOUT);
			assertThat(submitted).isNotNull();
			Batch ended = batches.awaitCompletion(submitted.id())
				.last()
				.timeout(WAIT)
				.onErrorResume(TimeoutException.class,
						(ex) -> batches.cancel(submitted.id()).then(Mono.empty()))
				.block(WAIT.plus(LiveKluster.TIMEOUT));
			Assumptions.assumeTrue(ended != null,
					() -> "Batch " + submitted.id() + " had not ended after " + WAIT + " and was cancelled; "
							+ "raise -Dkluster.live.batch-wait to wait longer");
			assertThat(ended.status()).as("status of batch %s, errors %s", ended.id(), ended.errorList())
				.isEqualTo(BatchStatus.COMPLETED);
			List<BatchResult> results = batches.results(ended).collectList().block(LiveKluster.TIMEOUT);
			assertThat(results).extracting(BatchResult::customId)
				.containsExactlyInAnyOrder("live-probe-1", "live-probe-2");
			assertThat(results).allSatisfy((result) -> {
				assertThat(result.isSuccess()).as("result of %s: %s", result.customId(), result).isTrue();
				assertThat(result.completion().text()).isNotBlank();
			});
		});
	}

	private static BatchRequest request(String customId, String prompt) {
		// No model: the batch client fills in kluster.chat.model, as for real-time calls.
		return BatchRequest.of(customId, ChatCompletionRequest.builder()
			.message(ChatMessage.user(prompt))
			.maxCompletionTokens(16)
			.build());
	}

}
