package dev.kluster.boot.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.kluster.boot.test.StandInClient.Reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the files and batches of {@link KlusterStandIn}.
 */
class KlusterStandInBatchTests {

	private static final String LLAMA = "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo";

	private KlusterStandIn standIn;

	private StandInClient client;

	@BeforeEach
	void start() {
		this.standIn = KlusterStandIn.start();
		this.client = new StandInClient(this.standIn.baseUrl());
	}

	@AfterEach
	void close() {
		this.standIn.close();
	}

	private static String line(String customId, String prompt) {
		return """
				{"custom_id": "%s", "method": "POST", "url": "/v1/chat/completions", "body": %s}"""
			.formatted(customId, StandInClient.chat(LLAMA, prompt));
	}

	private static String lines(int count) {
		return IntStream.rangeClosed(1, count)
			.mapToObj((i) -> line("r-" + i, "question " + i))
			.collect(Collectors.joining("\n", "", "\n"));
	}

	private String upload(String content) {
		Reply reply = this.client.upload(content, "batch");
		assertThat(reply.status()).as(reply.body()).isEqualTo(200);
		return reply.json().path("id").asString();
	}

	private JsonNode create(String fileId) {
		Reply reply = this.client.post("/batches", """
				{"input_file_id": "%s", "endpoint": "/v1/chat/completions", "completion_window": "24h"}"""
			.formatted(fileId));
		assertThat(reply.status()).as(reply.body()).isEqualTo(200);
		return reply.json();
	}

	private JsonNode batch(String id) {
		return this.client.get("/batches/" + id).json();
	}

	private List<JsonNode> content(String fileId) {
		Reply reply = this.client.get("/files/" + fileId + "/content");
		assertThat(reply.status()).isEqualTo(200);
		return reply.body().lines().map(StandInClient.JSON::readTree).toList();
	}

	// Files

	@Test
	void keepsAnUploadedFileOnDiskAndServesItsDetailsAndContent() {
		String content = lines(3);
		Reply reply = this.client.upload(content, "batch");
		assertThat(reply.status()).isEqualTo(200);
		JsonNode file = reply.json();
		assertThat(file.path("object").asString()).isEqualTo("file");
		assertThat(file.path("id").asString()).startsWith("file-");
		assertThat(file.path("bytes").asLong()).isEqualTo(content.length());
		assertThat(file.path("filename").asString()).isEqualTo("requests.jsonl");
		assertThat(file.path("purpose").asString()).isEqualTo("batch");
		assertThat(file.path("created_at").asLong()).isEqualTo(this.standIn.clock().instant().getEpochSecond());
		String id = file.path("id").asString();
		assertThat(this.client.get("/files/" + id).json()).isEqualTo(file);
		Reply download = this.client.get("/files/" + id + "/content");
		assertThat(download.body()).isEqualTo(content);
		assertThat(download.headers().get("Content-Length")).isEqualTo(Integer.toString(content.length()));
		StandInFile stored = this.standIn.files().get(0);
		assertThat(stored.id()).isEqualTo(id);
		assertThat(stored.lines()).hasSize(3);
		RecordedRequest recorded = this.standIn.lastRequest();
		assertThat(recorded.path()).isEqualTo("/v1/files/" + id + "/content");
		assertThat(this.standIn.requests().get(0).body()).isEmpty();
	}

	@Test
	void refusesAnUploadWithoutPurposeOrFileOrForAnotherPurpose() {
		Reply noPurpose = this.client.upload(lines(1), null);
		assertThat(noPurpose.status()).isEqualTo(400);
		assertThat(noPurpose.json().path("error").path("param").asString()).isEqualTo("purpose");
		assertThat(this.client.upload(lines(1), "fine-tune").status()).isEqualTo(400);
		Reply notMultipart = this.client.post("/files", "{}");
		assertThat(notMultipart.status()).isEqualTo(400);
		assertThat(notMultipart.json().path("error").path("param").asString()).isEqualTo("file");
		assertThat(this.standIn.files()).isEmpty();
	}

	@Test
	void keepsNothingOfAnUploadThatBreaksOff() throws IOException {
		assertThat(this.client.uploadBrokenOff(lines(2000))).isNotNull();
		RecordedRequest broken = this.standIn.takeRequest(StandInClient.TIMEOUT);
		assertThat(broken).isNotNull();
		assertThat(broken.path()).isEqualTo("/v1/files");
		assertThat(this.standIn.files()).isEmpty();
		try (Stream<Path> left = Files.list(this.standIn.batches().directory())) {
			assertThat(left).isEmpty();
		}
	}

	@Test
	void answersNotFoundForAnUnknownFile() {
		assertThat(this.client.get("/files/file-nope").status()).isEqualTo(404);
		assertThat(this.client.get("/files/file-nope/content").status()).isEqualTo(404);
	}

	// Batches

	@Test
	void movesABatchThroughItsStatusesOnTheClock() {
		this.standIn.batchTimeline(Duration.ofMinutes(1), Duration.ofMinutes(4), Duration.ofMinutes(1));
		Instant start = this.standIn.clock().instant();
		JsonNode created = create(upload(lines(4)));
		String id = created.path("id").asString();
		assertThat(created.path("object").asString()).isEqualTo("batch");
		assertThat(created.path("status").asString()).isEqualTo("validating");
		assertThat(created.path("created_at").asLong()).isEqualTo(start.getEpochSecond());
		assertThat(created.path("expires_at").asLong()).isEqualTo(start.plus(Duration.ofHours(24)).getEpochSecond());
		assertThat(created.path("in_progress_at").isNull()).isTrue();
		assertThat(batch(id).path("status").asString()).isEqualTo("validating");
		this.standIn.clock().advance(Duration.ofMinutes(2));
		JsonNode running = batch(id);
		assertThat(running.path("status").asString()).isEqualTo("in_progress");
		assertThat(running.path("in_progress_at").asLong()).isEqualTo(start.plusSeconds(60).getEpochSecond());
		assertThat(running.path("request_counts").path("total").asInt()).isEqualTo(4);
		assertThat(running.path("request_counts").path("completed").asInt()).isEqualTo(1);
		assertThat(running.path("output_file_id").isNull()).isTrue();
		this.standIn.clock().advance(Duration.ofMinutes(3));
		assertThat(batch(id).path("status").asString()).isEqualTo("finalizing");
		this.standIn.clock().advance(Duration.ofMinutes(1));
		JsonNode completed = batch(id);
		assertThat(completed.path("status").asString()).isEqualTo("completed");
		assertThat(completed.path("completed_at").asLong()).isEqualTo(start.plusSeconds(360).getEpochSecond());
		assertThat(completed.path("request_counts").path("completed").asInt()).isEqualTo(4);
		assertThat(completed.path("errors").isNull()).isTrue();
		List<JsonNode> results = content(completed.path("output_file_id").asString());
		assertThat(results).extracting((result) -> result.path("custom_id").asString())
			.containsExactly("r-1", "r-2", "r-3", "r-4");
		JsonNode first = results.get(0);
		assertThat(first.path("error").isNull()).isTrue();
		assertThat(first.path("response").path("status_code").asInt()).isEqualTo(200);
		assertThat(first.path("response").path("body").path("object").asString()).isEqualTo("chat.completion");
		assertThat(first.path("response").path("body").path("choices").path(0).path("message").path("content")
			.asString()).isEqualTo("You said: question 1");
	}

	@Test
	void failsABatchWhoseLinesAreNotRequestsOfItsEndpointNamingTheLines() {
		String content = line("ok", "hi") + "\nnot json\n" + line("", "no id") + "\n"
				+ line("x", "hi").replace("/v1/chat/completions", "/v1/embeddings") + "\n";
		JsonNode failed = batch(create(upload(content)).path("id").asString());
		assertThat(failed.path("status").asString()).isEqualTo("failed");
		assertThat(failed.path("failed_at").isNumber()).isTrue();
		assertThat(failed.path("errors").path("data").valueStream().map((error) -> error.path("line").asInt()))
			.containsExactly(2, 3, 4);
		assertThat(failed.path("output_file_id").isNull()).isTrue();
	}

	@Test
	void refusesABatchOfAnUnknownFileOrWithAnUnknownWindowOrEndpoint() {
		String fileId = upload(lines(1));
		assertThat(this.client.post("/batches", """
				{"input_file_id": "file-nope", "endpoint": "/v1/chat/completions", "completion_window": "24h"}""")
			.status()).isEqualTo(404);
		assertThat(this.client.post("/batches", """
				{"input_file_id": "%s", "endpoint": "/v1/chat/completions", "completion_window": "1h"}"""
			.formatted(fileId)).json().path("error").path("param").asString()).isEqualTo("completion_window");
		assertThat(this.client.post("/batches", """
				{"input_file_id": "%s", "endpoint": "/v1/completions", "completion_window": "24h"}""".formatted(fileId))
			.json()
			.path("error")
			.path("param")
			.asString()).isEqualTo("endpoint");
		assertThat(this.standIn.batchIds()).isEmpty();
	}

	@Test
	void cancelsABatchThatRunsAndRefusesToCancelOneThatEnded() {
		this.standIn.batchTimeline(Duration.ZERO, Duration.ofMinutes(10), Duration.ZERO)
			.batchCancellingTime(Duration.ofMinutes(1));
		String id = create(upload(lines(10))).path("id").asString();
		this.standIn.clock().advance(Duration.ofMinutes(5));
		JsonNode cancelling = this.client.post("/batches/" + id + "/cancel", "").json();
		assertThat(cancelling.path("status").asString()).isEqualTo("cancelling");
		assertThat(cancelling.path("request_counts").path("completed").asInt()).isEqualTo(5);
		this.standIn.clock().advance(Duration.ofMinutes(10));
		JsonNode cancelled = batch(id);
		assertThat(cancelled.path("status").asString()).isEqualTo("cancelled");
		assertThat(cancelled.path("finalizing_at").isNull()).isTrue();
		assertThat(content(cancelled.path("output_file_id").asString())).hasSize(5);
		assertThat(cancelled.path("error_file_id").isNull()).isTrue();
		assertThat(this.client.post("/batches/" + id + "/cancel", "").json().path("status").asString())
			.isEqualTo("cancelled");
		String done = create(upload(lines(1))).path("id").asString();
		this.standIn.clock().advance(Duration.ofMinutes(10));
		assertThat(this.client.post("/batches/" + done + "/cancel", "").status()).isEqualTo(400);
	}

	@Test
	void expiresBatchesWithHalfTheirRequestsDone() {
		this.standIn.expireBatches();
		JsonNode expired = batch(create(upload(lines(4))).path("id").asString());
		assertThat(expired.path("status").asString()).isEqualTo("expired");
		assertThat(expired.path("expired_at").isNumber()).isTrue();
		assertThat(content(expired.path("output_file_id").asString())).hasSize(2);
		assertThat(content(expired.path("error_file_id").asString()))
			.allSatisfy((result) -> assertThat(result.path("error").path("code").asString()).isEqualTo("batch_expired"))
			.extracting((result) -> result.path("custom_id").asString())
			.containsExactly("r-3", "r-4");
	}

	@Test
	void failsBatchesWithTheGivenError() {
		this.standIn.failBatches("quota_exceeded", "No more batches today");
		JsonNode failed = batch(create(upload(lines(1))).path("id").asString());
		assertThat(failed.path("status").asString()).isEqualTo("failed");
		JsonNode error = failed.path("errors").path("data").path(0);
		assertThat(error.path("code").asString()).isEqualTo("quota_exceeded");
		assertThat(error.path("message").asString()).isEqualTo("No more batches today");
	}

	@Test
	void answersEachLineAsTheSameChatRequestWouldBeAnsweredAndWritesFailuresToTheErrorFile() {
		this.standIn.answerWhenPromptContains("question 1", "one")
			.failBatchLinesWhenPromptContains("question 2", "server_error", "boom");
		String content = lines(2) + line("m", "hi").replace(LLAMA, "nobody/model") + "\n";
		JsonNode batch = batch(create(upload(content)).path("id").asString());
		assertThat(batch.path("request_counts").path("completed").asInt()).isOne();
		assertThat(batch.path("request_counts").path("failed").asInt()).isEqualTo(2);
		List<JsonNode> output = content(batch.path("output_file_id").asString());
		assertThat(output).singleElement()
			.satisfies((result) -> assertThat(result.path("response").path("body").path("choices").path(0)
				.path("message").path("content").asString()).isEqualTo("one"));
		List<JsonNode> errors = content(batch.path("error_file_id").asString());
		assertThat(errors).hasSize(2);
		assertThat(errors.get(0).path("response").isNull()).isTrue();
		assertThat(errors.get(0).path("error").path("code").asString()).isEqualTo("server_error");
		assertThat(errors.get(1).path("response").path("status_code").asInt()).isEqualTo(404);
		assertThat(errors.get(1).path("response").path("body").path("error").path("code").asString())
			.isEqualTo("model_not_found");
		assertThat(errors.get(1).path("error").isNull()).isTrue();
	}

	@Test
	void refusesLinesWithUnsupportedFieldsUnlessTheyAreAccepted() {
		String withTools = line("t", "weather?").replace("\"messages\"", "\"tools\": [], \"messages\"") + "\n";
		JsonNode refused = batch(create(upload(withTools)).path("id").asString());
		assertThat(content(refused.path("error_file_id").asString())).singleElement()
			.satisfies((result) -> assertThat(result.path("response").path("body").path("error").path("param")
				.asString()).isEqualTo("tools"));
		this.standIn.accept("tools");
		JsonNode answered = batch(create(upload(withTools)).path("id").asString());
		assertThat(answered.path("request_counts").path("completed").asInt()).isOne();
		assertThat(answered.path("error_file_id").isNull()).isTrue();
	}

	@Test
	void writesResultsOutOfOrderWhenAsked() {
		this.standIn.batchResultsOutOfOrder();
		JsonNode batch = batch(create(upload(lines(5))).path("id").asString());
		assertThat(content(batch.path("output_file_id").asString()))
			.extracting((result) -> result.path("custom_id").asString())
			.containsExactly("r-2", "r-4", "r-1", "r-3", "r-5");
	}

	@Test
	void listsBatchesNewestFirstWithACursorAndKlusterExtras() {
		String fileId = upload(lines(1));
		List<String> ids = IntStream.range(0, 3).mapToObj((i) -> create(fileId).path("id").asString()).toList();
		JsonNode first = this.client.get("/batches?limit=2").json();
		assertThat(first.path("object").asString()).isEqualTo("list");
		assertThat(first.path("data").valueStream().map((batch) -> batch.path("id").asString()))
			.containsExactly(ids.get(2), ids.get(1));
		assertThat(first.path("first_id").asString()).isEqualTo(ids.get(2));
		assertThat(first.path("last_id").asString()).isEqualTo(ids.get(1));
		assertThat(first.path("has_more").asBoolean()).isTrue();
		assertThat(first.has("count")).isTrue();
		assertThat(first.has("page")).isTrue();
		JsonNode second = this.client.get("/batches?limit=2&after=" + ids.get(1)).json();
		assertThat(second.path("data").valueStream().map((batch) -> batch.path("id").asString()))
			.containsExactly(ids.get(0));
		assertThat(second.path("has_more").asBoolean()).isFalse();
		assertThat(this.client.get("/batches?limit=101").status()).isEqualTo(400);
		assertThat(this.client.get("/batches?after=batch_nope").status()).isEqualTo(400);
	}

	@Test
	void sendsTimestampsAsStringsOfDigitsWhenAsked() {
		this.standIn.timestampsAsStrings();
		JsonNode batch = batch(create(upload(lines(1))).path("id").asString());
		assertThat(batch.path("created_at").isString()).isTrue();
		assertThat(batch.path("created_at").asString()).matches("\\d+");
		assertThat(batch.path("completed_at").isString()).isTrue();
		assertThat(batch.path("cancelled_at").isNull()).isTrue();
		assertThat(this.client.get("/models").json().path("data").path(0).path("created").isString()).isTrue();
	}

	@Test
	void answersAnAsynchronousRequestWithTheQueuedPlaceholder() {
		String body = """
				{"model": "%s", "messages": [{"role": "user", "content": "later"}],
				 "metadata": {"@kluster.ai": {"async": true}}}""".formatted(LLAMA);
		JsonNode queued = this.client.post("/chat/completions", body).json();
		assertThat(queued.path("object").asString()).isEqualTo("chat.completion");
		assertThat(queued.path("choices").path(0).path("message").path("content").asString())
			.isEqualTo(KlusterStandIn.QUEUED_ANSWER);
	}

	@Test
	void resetForgetsFilesAndBatchesAndDeletesTheirContentButKeepsTheClock() throws IOException {
		this.standIn.expireBatches().batchTimeline(Duration.ofMinutes(1), Duration.ZERO, Duration.ZERO);
		create(upload(lines(1)));
		Instant now = this.standIn.clock().advance(Duration.ofHours(1));
		this.standIn.reset();
		assertThat(this.standIn.files()).isEmpty();
		assertThat(this.standIn.batchIds()).isEmpty();
		assertThat(this.standIn.clock().instant()).isEqualTo(now);
		try (Stream<Path> left = Files.list(this.standIn.batches().directory())) {
			assertThat(left).isEmpty();
		}
		JsonNode completed = batch(create(upload(lines(1))).path("id").asString());
		assertThat(completed.path("status").asString()).isEqualTo("completed");
	}

	@Test
	void deletesItsDirectoryWhenClosed() {
		Path directory = this.standIn.batches().directory();
		upload(lines(1));
		this.standIn.close();
		assertThat(directory).doesNotExist();
	}

	@Test
	void refusesNegativeDurationsAndClockMovesBack() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.standIn.batchTimeline(Duration.ofSeconds(-1), Duration.ZERO, Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(() -> this.standIn.clock().advance(Duration.ofSeconds(-1)));
	}

}
