package dev.kluster.boot.batch;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.model.Batch;
import dev.kluster.boot.model.BatchError;
import dev.kluster.boot.model.BatchList;
import dev.kluster.boot.model.BatchRequest;
import dev.kluster.boot.model.BatchResult;
import dev.kluster.boot.model.EmbeddingRequest;
import dev.kluster.boot.model.BatchStatus;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.KlusterFile;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the JSON of the batch model types ({@link Batch}, {@link BatchList},
 * {@link BatchRequest}, {@link BatchResult}, {@link KlusterFile}) and for
 * {@link KlusterBatchSettings}.
 */
class BatchModelJsonTests {

	private static final String BATCH = """
			{"id": "batch_1", "object": "batch", "endpoint": "/v1/chat/completions",
			 "errors": {"object": "list", "data": [
			   {"code": "invalid_request", "message": "Missing custom_id", "param": null, "line": 7}]},
			 "input_file_id": "file-in", "completion_window": "24h", "status": "failed",
			 "output_file_id": null, "error_file_id": "file-err",
			 "created_at": %s, "in_progress_at": null, "expires_at": %s, "finalizing_at": null,
			 "completed_at": null, "failed_at": %s, "expired_at": null, "cancelling_at": null,
			 "cancelled_at": null, "request_counts": {"total": 10, "completed": 0, "failed": 0},
			 "metadata": {"job": "nightly"}, "model": "added-later", "usage": {"input_tokens": 3}}""";

	private final JsonMapper jsonMapper = JsonMapper.shared();

	@Test
	void readsEveryFieldOfABatchAndIgnoresFieldsItDoesNotKnow() {
		Batch batch = this.jsonMapper.readValue(BATCH.formatted("1733832777", "1733919177", "1733832790"),
				Batch.class);
		assertThat(batch.id()).isEqualTo("batch_1");
		assertThat(batch.status()).isEqualTo(BatchStatus.FAILED);
		assertThat(batch.isTerminal()).isTrue();
		assertThat(batch.inputFileId()).isEqualTo("file-in");
		assertThat(batch.outputFileId()).isNull();
		assertThat(batch.errorFileId()).isEqualTo("file-err");
		assertThat(batch.createdAt()).isEqualTo(Instant.ofEpochSecond(1733832777));
		assertThat(batch.expiresAt()).isEqualTo(Instant.ofEpochSecond(1733919177));
		assertThat(batch.failedAt()).isEqualTo(Instant.ofEpochSecond(1733832790));
		assertThat(batch.completedAt()).isNull();
		assertThat(batch.requestCounts()).isEqualTo(new Batch.RequestCounts(10, 0, 0));
		assertThat(batch.metadata()).containsEntry("job", "nightly");
		assertThat(batch.errorList()).containsExactly(new BatchError("invalid_request", "Missing custom_id", null, 7L));
		assertThat(batch.errorList().get(0)).hasToString("line 7: Missing custom_id [code=invalid_request]");
	}

	@Test
	void readsTimestampsSentAsStringsOfDigitsLikeNumbers() {
		Batch asNumbers = this.jsonMapper.readValue(BATCH.formatted("1733832777", "1733919177", "1733832790"),
				Batch.class);
		Batch asStrings = this.jsonMapper
			.readValue(BATCH.formatted("\"1733832777\"", "\"1733919177\"", "\" 1733832790\""), Batch.class);
		assertThat(asStrings).isEqualTo(asNumbers);
	}

	@Test
	void readsAStatusItDoesNotKnowAsNotTerminal() {
		Batch batch = this.jsonMapper.readValue("{\"id\": \"b\", \"status\": \"paused\"}", Batch.class);
		assertThat(batch.status()).isEqualTo(BatchStatus.UNKNOWN);
		assertThat(batch.isTerminal()).isFalse();
		assertThat(batch.errorList()).isEmpty();
	}

	@Test
	void namesStatusesAsTheWireDoesAndTellsTerminalOnes() {
		assertThat(BatchStatus.IN_PROGRESS.wireName()).isEqualTo("in_progress");
		assertThat(BatchStatus.fromWireName("cancelling")).isEqualTo(BatchStatus.CANCELLING);
		assertThat(BatchStatus.values()).filteredOn(BatchStatus::isTerminal)
			.containsExactly(BatchStatus.FAILED, BatchStatus.COMPLETED, BatchStatus.EXPIRED, BatchStatus.CANCELLED);
		assertThat(this.jsonMapper.writeValueAsString(BatchStatus.IN_PROGRESS)).isEqualTo("\"in_progress\"");
	}

	@Test
	void readsAListWithKlusterExtrasAndFindsTheNextCursor() {
		BatchList list = this.jsonMapper.readValue("""
				{"object": "list", "data": [{"id": "b3"}, {"id": "b2"}], "first_id": "b3", "last_id": "b2",
				 "has_more": true, "count": 7, "page": {"number": 1}}""", BatchList.class);
		assertThat(list.data()).extracting(Batch::id).containsExactly("b3", "b2");
		assertThat(list.nextCursor()).isEqualTo("b2");
		BatchList withoutLastId = this.jsonMapper
			.readValue("{\"data\": [{\"id\": \"b9\"}], \"has_more\": true}", BatchList.class);
		assertThat(withoutLastId.nextCursor()).isEqualTo("b9");
		BatchList lastPage = this.jsonMapper
			.readValue("{\"data\": [{\"id\": \"b1\"}], \"last_id\": \"b1\", \"has_more\": false}", BatchList.class);
		assertThat(lastPage.nextCursor()).isNull();
		assertThat(this.jsonMapper.readValue("{}", BatchList.class).data()).isEmpty();
	}

	@Test
	void writesABatchRequestAsOneLineOfTheInputFile() {
		BatchRequest request = BatchRequest.of("r-1",
				ChatCompletionRequest.builder().model("m").message(ChatMessage.user("Hi")).build());
		String line = this.jsonMapper.writeValueAsString(request);
		assertThat(line).startsWith("{\"custom_id\":\"r-1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",")
			.doesNotContain("\n");
		JsonNode body = this.jsonMapper.readTree(line).path("body");
		assertThat(body.path("model").asString()).isEqualTo("m");
		assertThat(body.path("messages").path(0).path("content").asString()).isEqualTo("Hi");
	}

	@Test
	void readsAFileObject() {
		KlusterFile file = this.jsonMapper.readValue("""
				{"id": "file-1", "object": "file", "bytes": 120000, "created_at": "1677610602",
				 "filename": "batch.jsonl", "purpose": "batch", "status": "processed"}""", KlusterFile.class);
		assertThat(file.id()).isEqualTo("file-1");
		assertThat(file.bytes()).isEqualTo(120000);
		assertThat(file.createdAt()).isEqualTo(Instant.ofEpochSecond(1677610602));
		assertThat(file.expiresAt()).isNull();
	}

	@Test
	void tellsASuccessfulResultFromFailedOnes() {
		BatchResult success = this.jsonMapper.readValue("""
				{"id": "r1", "custom_id": "a", "error": null, "response": {"status_code": 200, "request_id": "q1",
				 "body": {"id": "c1", "object": "chat.completion", "created": "1733832777",
				  "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi"}, "stop_reason": null}]}}}""",
				BatchResult.class);
		assertThat(success.isSuccess()).isTrue();
		assertThat(success.isFailure()).isFalse();
		assertThat(success.completion().text()).isEqualTo("Hi");
		BatchResult notRun = this.jsonMapper.readValue("""
				{"id": "r2", "custom_id": "b", "response": null,
				 "error": {"code": "batch_expired", "message": "Too late"}}""", BatchResult.class);
		assertThat(notRun.isFailure()).isTrue();
		assertThat(notRun.completion()).isNull();
		assertThat(notRun.error()).isEqualTo(new BatchResult.Error("batch_expired", "Too late"));
		BatchResult refused = this.jsonMapper.readValue("""
				{"id": "r3", "custom_id": "c", "error": null, "response": {"status_code": 400,
				 "body": {"error": {"message": "bad", "type": "invalid_request_error"}}}}""", BatchResult.class);
		assertThat(refused.isFailure()).isTrue();
		assertThat(refused.response().isSuccessful()).isFalse();
		assertThat(refused.completion()).isNull();
	}

	@Test
	void readsTheEmbeddingsOfAResultOfABatchOfEmbeddings() {
		BatchResult result = this.jsonMapper.readValue("""
				{"id": "r1", "custom_id": "e", "error": null, "response": {"status_code": 200, "request_id": "q1",
				 "body": {"object": "list", "model": "m", "data": [{"object": "embedding", "index": 0,
				  "embedding": "AACAPwAAAMA="}], "usage": {"prompt_tokens": 2, "total_tokens": 2}}}}""",
				BatchResult.class);
		assertThat(result.isSuccess()).isTrue();
		assertThat(result.completion()).isNull();
		assertThat(result.embeddings().vector()).containsExactly(1.0f, -2.0f);
		assertThat(result.response().requestId()).isEqualTo("q1");
		// Written back as kluster.ai writes it, whichever kind of body.
		assertThat(this.jsonMapper.readTree(this.jsonMapper.writeValueAsString(result.response())).path("body")
			.path("data").get(0).path("embedding").size()).isEqualTo(2);
	}

	@Test
	void aBatchLineHoldsExactlyOneRequest() {
		EmbeddingRequest embedding = EmbeddingRequest.of("hi");
		assertThat(BatchRequest.of("e", embedding).isEmbedding()).isTrue();
		assertThat(BatchRequest.of("e", embedding).body()).isNull();
		assertThat(BatchRequest.of("e", embedding).url()).isEqualTo("/v1/embeddings");
		assertThatIllegalArgumentException().isThrownBy(() -> new BatchRequest("x", "POST", "/v1/embeddings", null,
				null));
	}

	@Test
	void settingsDefaultToKlusterLimitsAndRefuseValuesThatCannotWork() {
		KlusterBatchSettings defaults = KlusterBatchSettings.defaults();
		assertThat(defaults.maxFileSize().toBytes()).isEqualTo(100_000_000L);
		assertThat(defaults.pollInterval()).isEqualTo(Duration.ofSeconds(10));
		assertThat(defaults.completionWindow()).isEqualTo("24h");
		assertThatIllegalArgumentException().isThrownBy(() -> defaults.withMaxFileSize(DataSize.ofMegabytes(200)))
			.withMessageContaining("maxFileSize");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> defaults.withPolling(Duration.ofSeconds(10), Duration.ofSeconds(1), 2))
			.withMessageContaining("maxPollInterval");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> defaults.withPolling(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.5))
			.withMessageContaining("pollBackoffMultiplier");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> defaults.withPolling(Duration.ZERO, Duration.ofSeconds(10), 2))
			.withMessageContaining("pollInterval");
	}

}
