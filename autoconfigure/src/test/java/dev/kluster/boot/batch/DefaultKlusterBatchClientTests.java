package dev.kluster.boot.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.client.ChatDefaults;
import dev.kluster.boot.error.KlusterException;
import dev.kluster.boot.error.KlusterInvalidResponseException;
import dev.kluster.boot.error.KlusterNotFoundException;
import dev.kluster.boot.error.KlusterServerException;
import dev.kluster.boot.model.Batch;
import dev.kluster.boot.model.BatchRequest;
import dev.kluster.boot.model.BatchResult;
import dev.kluster.boot.model.BatchStatus;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.KlusterFile;
import dev.kluster.boot.model.KlusterOptions;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.test.KlusterStandInExtension;
import dev.kluster.boot.test.RecordedRequest;
import dev.kluster.boot.test.StandInFile;
import dev.kluster.boot.validation.KlusterValidationException;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import dev.kluster.boot.error.KlusterBatchNotCompletedException;
import dev.kluster.boot.model.BatchOptions;
import dev.kluster.boot.transport.KlusterConnection;

/**
 * Tests for {@link DefaultKlusterBatchClient} against the kluster.ai stand-in.
 */
class DefaultKlusterBatchClientTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final String MODEL = "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo";

	/** Fast polls, so that a test waits milliseconds for what a batch does in minutes. */
	private static final KlusterBatchSettings SETTINGS = KlusterBatchSettings.defaults()
		.withPolling(Duration.ofMillis(5), Duration.ofMillis(40), 2);

	@RegisterExtension
	static final KlusterStandInExtension standInExtension = new KlusterStandInExtension();

	private final JsonMapper jsonMapper = JsonMapper.shared();

	private KlusterStandIn standIn;

	private KlusterBatchClient client;

	@BeforeEach
	void createClient(KlusterStandIn standIn) {
		this.standIn = standIn;
		this.client = client(SETTINGS);
	}

	private KlusterBatchClient client(KlusterBatchSettings settings) {
		KlusterConnection connection = KlusterConnection.builder()
			.apiKey("sk-test")
			.baseUrl(this.standIn.baseUrl())
			.jsonMapper(this.jsonMapper)
			.build();
		return DefaultKlusterBatchClient.builder(connection).defaults(ChatDefaults.model(MODEL)).settings(settings).build();
	}

	private static Flux<BatchRequest> questions(int count) {
		return Flux.range(1, count).map((i) -> question("q-" + i, "question " + i));
	}

	private static BatchRequest question(String customId, String prompt) {
		return BatchRequest.of(customId, ChatCompletionRequest.builder().message(ChatMessage.user(prompt)).build());
	}

	private Batch submit(Flux<BatchRequest> requests) {
		return this.client.submit(requests, BatchOptions.DEFAULTS).block(TIMEOUT);
	}

	private List<BatchResult> results(Batch batch) {
		return this.client.results(batch).collectList().block(TIMEOUT);
	}

	private Batch ended(Batch batch) {
		return this.client.awaitCompletion(batch.id()).last().block(TIMEOUT);
	}

	private static Map<String, BatchResult> byCustomId(List<BatchResult> results) {
		return results.stream().collect(Collectors.toMap(BatchResult::customId, Function.identity()));
	}

	// The whole flow

	@Test
	void runUploadsTheRequestsWaitsForTheBatchAndReturnsOneResultPerRequest() {
		this.standIn.answerWhenPromptContains("question 2", "two");
		List<BatchResult> results = this.client.run(questions(3)).collectList().block(TIMEOUT);
		assertThat(results).hasSize(3).allSatisfy((result) -> assertThat(result.isSuccess()).isTrue());
		Map<String, BatchResult> byId = byCustomId(results);
		assertThat(byId.get("q-1").completion().text()).isEqualTo("You said: question 1");
		assertThat(byId.get("q-2").completion().text()).isEqualTo("two");
		assertThat(byId.get("q-2").response().statusCode()).isEqualTo(200);
		assertThat(byId.get("q-2").response().requestId()).isNotBlank();
		assertThat(byId.get("q-3").completion().model()).isEqualTo(MODEL);
		assertThat(this.standIn.batchIds()).hasSize(1);
	}

	@Test
	void uploadStreamsAMultipartJsonLinesFileWithOneValidatedRequestPerLine() {
		ChatCompletionRequest withModel = ChatCompletionRequest.builder()
			.model("deepseek-ai/DeepSeek-R1")
			.message(ChatMessage.user("multi\nline"))
			.temperature(0.5)
			.build();
		KlusterFile file = this.client
			.upload(Flux.just(question("a", "first"), BatchRequest.of("b", withModel)))
			.block(TIMEOUT);
		assertThat(file.id()).isNotBlank();
		assertThat(file.purpose()).isEqualTo("batch");
		assertThat(file.filename()).isEqualTo("batch.jsonl");
		assertThat(file.createdAt()).isEqualTo(this.standIn.clock().instant());
		RecordedRequest upload = this.standIn.lastRequest();
		assertThat(upload.method()).isEqualTo("POST");
		assertThat(upload.path()).isEqualTo("/v1/files");
		assertThat(upload.header("Content-Type")).startsWith("multipart/form-data");
		assertThat(upload.header("Authorization")).isEqualTo("Bearer sk-test");
		StandInFile stored = this.standIn.files().get(0);
		assertThat(stored.bytes()).isEqualTo(file.bytes());
		List<JsonNode> lines = stored.lines().stream().map(this.jsonMapper::readTree).toList();
		assertThat(lines).hasSize(2);
		assertThat(lines.get(0).path("custom_id").asString()).isEqualTo("a");
		assertThat(lines.get(0).path("method").asString()).isEqualTo("POST");
		assertThat(lines.get(0).path("url").asString()).isEqualTo("/v1/chat/completions");
		assertThat(lines.get(0).path("body").path("model").asString()).isEqualTo(MODEL);
		assertThat(lines.get(1).path("body").path("model").asString()).isEqualTo("deepseek-ai/DeepSeek-R1");
		assertThat(lines.get(1).path("body").path("messages").path(0).path("content").asString())
			.isEqualTo("multi\nline");
		assertThat(lines.get(1).path("body").path("temperature").asDouble()).isEqualTo(0.5);
	}

	@Test
	void createSendsTheCompletionWindowAndMetadata() {
		KlusterFile file = this.client.upload(questions(1)).block(TIMEOUT);
		BatchOptions options = BatchOptions.DEFAULTS.completionWindow(KlusterOptions.CompletionWindow.HOURS_72)
			.metadata("job", "nightly");
		Batch batch = this.client.create(file.id(), options).block(TIMEOUT);
		assertThat(batch.status()).isEqualTo(BatchStatus.VALIDATING);
		assertThat(batch.inputFileId()).isEqualTo(file.id());
		assertThat(batch.endpoint()).isEqualTo("/v1/chat/completions");
		assertThat(batch.completionWindow()).isEqualTo("72h");
		assertThat(batch.metadata()).containsEntry("job", "nightly");
		assertThat(batch.expiresAt()).isEqualTo(batch.createdAt().plus(Duration.ofHours(72)));
		JsonNode body = this.standIn.lastRequest().json();
		assertThat(body.path("input_file_id").asString()).isEqualTo(file.id());
		assertThat(body.path("completion_window").asString()).isEqualTo("72h");
	}

	// Statuses

	@Test
	void awaitCompletionEmitsEachChangeOnTheStandInClockAndEndsWhenCompleted() {
		this.standIn.batchTimeline(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(1));
		Batch batch = submit(questions(4));
		StepVerifier.create(this.client.awaitCompletion(batch.id()))
			.assertNext((polled) -> assertThat(polled.status()).isEqualTo(BatchStatus.VALIDATING))
			.then(() -> this.standIn.clock().advance(Duration.ofMinutes(1)))
			.assertNext((polled) -> {
				assertThat(polled.status()).isEqualTo(BatchStatus.IN_PROGRESS);
				assertThat(polled.inProgressAt()).isEqualTo(batch.createdAt().plus(Duration.ofMinutes(1)));
				assertThat(polled.requestCounts().completed()).isZero();
			})
			.then(() -> this.standIn.clock().advance(Duration.ofMinutes(5)))
			.assertNext((polled) -> {
				assertThat(polled.status()).isEqualTo(BatchStatus.IN_PROGRESS);
				assertThat(polled.requestCounts().total()).isEqualTo(4);
				assertThat(polled.requestCounts().completed()).isEqualTo(2);
			})
			.then(() -> this.standIn.clock().advance(Duration.ofMinutes(5)))
			.assertNext((polled) -> assertThat(polled.status()).isEqualTo(BatchStatus.FINALIZING))
			.then(() -> this.standIn.clock().advance(Duration.ofMinutes(1)))
			.assertNext((polled) -> {
				assertThat(polled.status()).isEqualTo(BatchStatus.COMPLETED);
				assertThat(polled.isTerminal()).isTrue();
				assertThat(polled.completedAt()).isEqualTo(batch.createdAt().plus(Duration.ofMinutes(12)));
				assertThat(polled.outputFileId()).isNotNull();
				assertThat(polled.errorFileId()).isNull();
				assertThat(polled.requestCounts()).isEqualTo(new Batch.RequestCounts(4, 4, 0));
			})
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void aBatchThatFailsEndsTheWaitWithItsErrorsAndRunFailsNamingThem() {
		this.standIn.failBatches("invalid_file", "The file is not what we expected");
		Batch failed = ended(submit(questions(2)));
		assertThat(failed.status()).isEqualTo(BatchStatus.FAILED);
		assertThat(failed.failedAt()).isNotNull();
		assertThat(failed.errorList()).singleElement().satisfies((error) -> {
			assertThat(error.code()).isEqualTo("invalid_file");
			assertThat(error.message()).isEqualTo("The file is not what we expected");
		});
		assertThat(results(failed)).isEmpty();
		StepVerifier.create(this.client.run(questions(2)))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(KlusterBatchNotCompletedException.class)
				.hasMessageContaining("ended failed")
				.hasMessageContaining("The file is not what we expected [code=invalid_file]"))
			.verify(TIMEOUT);
	}

	@Test
	void aBatchThatExpiresGivesTheResultsOfTheRequestsThatRanThenFails() {
		this.standIn.expireBatches();
		List<BatchResult> results = new CopyOnWriteArrayList<>();
		StepVerifier.create(this.client.run(questions(4)).doOnNext(results::add))
			.expectNextCount(4)
			.expectErrorSatisfies((ex) -> {
				assertThat(ex).isInstanceOf(KlusterBatchNotCompletedException.class).hasMessageContaining("ended expired");
				Batch batch = ((KlusterBatchNotCompletedException) ex).batch();
				assertThat(batch.status()).isEqualTo(BatchStatus.EXPIRED);
				assertThat(batch.expiredAt()).isNotNull();
				assertThat(batch.requestCounts()).isEqualTo(new Batch.RequestCounts(4, 2, 2));
			})
			.verify(TIMEOUT);
		assertThat(results).filteredOn(BatchResult::isSuccess).extracting(BatchResult::customId)
			.containsExactlyInAnyOrder("q-1", "q-2");
		assertThat(results).filteredOn(BatchResult::isFailure).allSatisfy((result) -> {
			assertThat(result.response()).isNull();
			assertThat(result.completion()).isNull();
			assertThat(result.error().code()).isEqualTo("batch_expired");
		});
	}

	@Test
	void cancelWhileInProgressMovesTheBatchToCancellingThenCancelledWithTheResultsSoFar() {
		this.standIn.batchTimeline(Duration.ZERO, Duration.ofMinutes(10), Duration.ZERO)
			.batchCancellingTime(Duration.ofMinutes(2));
		Batch batch = submit(questions(10));
		this.standIn.clock().advance(Duration.ofMinutes(3));
		assertThat(this.client.retrieve(batch.id()).block(TIMEOUT).status()).isEqualTo(BatchStatus.IN_PROGRESS);
		Batch cancelling = this.client.cancel(batch.id()).block(TIMEOUT);
		assertThat(cancelling.status()).isEqualTo(BatchStatus.CANCELLING);
		assertThat(cancelling.cancellingAt()).isEqualTo(this.standIn.clock().instant());
		assertThat(this.standIn.lastRequest().path()).isEqualTo("/v1/batches/" + batch.id() + "/cancel");
		StepVerifier.create(this.client.awaitCompletion(batch.id()))
			.assertNext((polled) -> assertThat(polled.status()).isEqualTo(BatchStatus.CANCELLING))
			.then(() -> this.standIn.clock().advance(Duration.ofMinutes(2)))
			.assertNext((polled) -> {
				assertThat(polled.status()).isEqualTo(BatchStatus.CANCELLED);
				assertThat(polled.cancelledAt()).isEqualTo(cancelling.cancellingAt().plus(Duration.ofMinutes(2)));
				assertThat(polled.requestCounts()).isEqualTo(new Batch.RequestCounts(10, 3, 0));
			})
			.expectComplete()
			.verify(TIMEOUT);
		Batch cancelled = this.client.retrieve(batch.id()).block(TIMEOUT);
		assertThat(results(cancelled)).extracting(BatchResult::customId).containsExactly("q-1", "q-2", "q-3");
	}

	@Test
	void cancellingABatchThatEndedIsABadRequest() {
		Batch completed = ended(submit(questions(1)));
		StepVerifier.create(this.client.cancel(completed.id()))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(KlusterException.class)
				.hasMessageContaining("HTTP 400")
				.hasMessageContaining("Cannot cancel a batch with status 'completed'"))
			.verify(TIMEOUT);
	}

	// Results

	@Test
	void resultsOutOfOrderAreMatchedToTheirRequestsByCustomId() {
		this.standIn.batchResultsOutOfOrder();
		this.standIn.answerWhenPromptContains("question 1", "one").answerWhenPromptContains("question 4", "four");
		List<BatchResult> results = this.client.run(questions(5)).collectList().block(TIMEOUT);
		assertThat(results).extracting(BatchResult::customId).containsExactly("q-2", "q-4", "q-1", "q-3", "q-5");
		Map<String, BatchResult> byId = byCustomId(results);
		assertThat(byId.get("q-1").completion().text()).isEqualTo("one");
		assertThat(byId.get("q-4").completion().text()).isEqualTo("four");
	}

	@Test
	void failingLinesComeFromTheErrorFileAsFailuresWithTheirError() {
		this.standIn.failBatchLinesWhenPromptContains("question 2", "server_error", "The model crashed")
			.models(MODEL);
		Flux<BatchRequest> requests = questions(3)
			.concatWith(Flux.just(BatchRequest.of("other-model", ChatCompletionRequest.builder()
				.model("nobody/unknown-model")
				.message(ChatMessage.user("hello"))
				.build())));
		Batch batch = ended(submit(requests));
		assertThat(batch.requestCounts()).isEqualTo(new Batch.RequestCounts(4, 2, 2));
		assertThat(batch.errorFileId()).isNotNull();
		Map<String, BatchResult> byId = byCustomId(results(batch));
		assertThat(byId).hasSize(4);
		assertThat(byId.get("q-1").isSuccess()).isTrue();
		assertThat(byId.get("q-3").isSuccess()).isTrue();
		BatchResult crashed = byId.get("q-2");
		assertThat(crashed.isFailure()).isTrue();
		assertThat(crashed.response()).isNull();
		assertThat(crashed.error()).isEqualTo(new BatchResult.Error("server_error", "The model crashed"));
		BatchResult refused = byId.get("other-model");
		assertThat(refused.isFailure()).isTrue();
		assertThat(refused.completion()).isNull();
		assertThat(refused.response().statusCode()).isEqualTo(404);
		assertThat(refused.error().code()).isEqualTo("model_not_found");
		assertThat(refused.error().message()).contains("nobody/unknown-model");
	}

	@Test
	void aResultLineThatIsNotJsonFailsTheResultsNamingTheFileAndLine() {
		Batch batch = ended(submit(questions(3)));
		this.standIn.malformedChunkAfter(1);
		StepVerifier.create(this.client.readResults(batch.outputFileId()))
			.expectNextCount(1)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(KlusterInvalidResponseException.class)
				.hasMessageContaining("Line 2 of result file " + batch.outputFileId())
				.hasMessageContaining("{not json"))
			.verify(TIMEOUT);
	}

	@Test
	void aDownloadThatBreaksOffIsAConnectionFailure() {
		Batch batch = ended(submit(questions(3)));
		this.standIn.dropStreamAfter(1);
		StepVerifier.create(this.client.readResults(batch.outputFileId()))
			.expectNextCount(1)
			.expectError(KlusterException.class)
			.verify(TIMEOUT);
	}

	// Listing

	@Test
	void listFetchesPagesOnDemandNewestFirst() {
		KlusterFile file = this.client.upload(questions(1)).block(TIMEOUT);
		List<String> created = Flux.range(1, 5)
			.concatMap((i) -> this.client.create(file.id()))
			.map(Batch::id)
			.collectList()
			.block(TIMEOUT);
		int before = this.standIn.requestCount();
		List<String> listed = this.client.list(2).map(Batch::id).collectList().block(TIMEOUT);
		assertThat(listed).containsExactly(created.get(4), created.get(3), created.get(2), created.get(1),
				created.get(0));
		List<RecordedRequest> pages = this.standIn.requests().subList(before, this.standIn.requestCount());
		assertThat(pages).extracting(RecordedRequest::path)
			.containsExactly("/v1/batches?limit=2", "/v1/batches?limit=2&after=" + created.get(3),
					"/v1/batches?limit=2&after=" + created.get(1));
		before = this.standIn.requestCount();
		assertThat(this.client.list(2).take(2).map(Batch::id).collectList().block(TIMEOUT))
			.containsExactly(created.get(4), created.get(3));
		assertThat(this.standIn.requestCount() - before).isOne();
	}

	// Leniency

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void readsTimestampsSentAsNumbersOrAsStringsOfDigits(boolean asStrings) {
		if (asStrings) {
			this.standIn.timestampsAsStrings();
		}
		this.standIn.batchTimeline(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(30));
		Instant start = this.standIn.clock().instant();
		Batch batch = submit(questions(1));
		this.standIn.clock().advance(Duration.ofMinutes(2));
		Batch completed = ended(batch);
		String raw = this.standIn.lastRequest().path();
		assertThat(raw).isEqualTo("/v1/batches/" + batch.id());
		assertThat(completed.createdAt()).isEqualTo(start);
		assertThat(completed.inProgressAt()).isEqualTo(start.plusSeconds(30));
		assertThat(completed.finalizingAt()).isEqualTo(start.plusSeconds(90));
		assertThat(completed.completedAt()).isEqualTo(start.plusSeconds(120));
		assertThat(completed.expiresAt()).isEqualTo(start.plus(Duration.ofHours(24)));
		assertThat(completed.failedAt()).isNull();
		KlusterFile file = this.client.file(completed.inputFileId()).block(TIMEOUT);
		assertThat(file.createdAt()).isEqualTo(start);
	}

	// Refusals before anything is uploaded

	@Test
	void aRequestThatBreaksTheRulesStopsTheUploadAndNoFileIsCreated() {
		Flux<BatchRequest> requests = questions(5000).map((request) -> !request.customId().equals("q-4000") ? request
				: request.withBody(request.body().toBuilder().maxTokens(10).temperature(3.0).build()));
		StepVerifier.create(this.client.submit(requests, BatchOptions.DEFAULTS))
			.expectErrorSatisfies((ex) -> {
				assertThat(ex).isInstanceOf(KlusterBatchValidationException.class)
					.isInstanceOf(KlusterValidationException.class)
					.hasMessageStartingWith("Batch not uploaded: request 'q-4000' (line 4000) is invalid.")
					.hasMessageContaining("body.max_tokens");
				KlusterBatchValidationException invalid = (KlusterBatchValidationException) ex;
				assertThat(invalid.customId()).isEqualTo("q-4000");
				assertThat(invalid.line()).isEqualTo(4000);
				assertThat(invalid.paths()).containsExactly("body.max_tokens", "body.temperature");
			})
			.verify(TIMEOUT);
		// The upload had started: the stand-in saw it break off and kept nothing.
		assertThat(this.standIn.takeRequest(TIMEOUT)).isNotNull()
			.satisfies((upload) -> assertThat(upload.path()).isEqualTo("/v1/files"));
		assertThat(this.standIn.files()).isEmpty();
		assertThat(this.standIn.batchIds()).isEmpty();
	}

	@Test
	void aRequestWithoutCustomIdOrForAnotherEndpointIsRefused() {
		BatchRequest embeddings = new BatchRequest("e", "POST", "/v1/embeddings",
				ChatCompletionRequest.builder().message(ChatMessage.user("hi")).build());
		StepVerifier.create(this.client.upload(Flux.just(question(" ", "hi"))))
			.expectErrorSatisfies((ex) -> assertThat(((KlusterBatchValidationException) ex).paths())
				.containsExactly("custom_id"))
			.verify(TIMEOUT);
		StepVerifier.create(this.client.upload(Flux.just(question("ok", "hi"), embeddings)))
			.expectErrorSatisfies((ex) -> assertThat(ex).hasMessageContaining("request 'e' (line 2)")
				.hasMessageContaining("url must be /v1/chat/completions, was /v1/embeddings"))
			.verify(TIMEOUT);
		assertThat(this.standIn.files()).isEmpty();
	}

	@Test
	void aBatchOverTheSizeLimitIsRefusedWhileStreamingAndNoFileIsCreated() {
		KlusterBatchClient limited = client(SETTINGS.withMaxFileSize(DataSize.ofKilobytes(64)));
		StepVerifier.create(limited.upload(questions(2000)))
			.expectErrorSatisfies((ex) -> {
				assertThat(ex).isInstanceOf(KlusterBatchTooLargeException.class)
					.hasMessageContaining("larger than 65536 bytes");
				KlusterBatchTooLargeException tooLarge = (KlusterBatchTooLargeException) ex;
				assertThat(tooLarge.line()).isBetween(2L, 2000L);
				assertThat(tooLarge.customId()).isEqualTo("q-" + tooLarge.line());
				assertThat(tooLarge.limit()).isEqualTo(65536);
			})
			.verify(TIMEOUT);
		assertThat(this.standIn.files()).isEmpty();
	}

	@Test
	void aBatchWithoutRequestsIsRefused() {
		StepVerifier.create(this.client.upload(Flux.empty()))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(KlusterException.class)
				.hasMessage("Batch not uploaded: it has no requests"))
			.verify(TIMEOUT);
		assertThat(this.standIn.files()).isEmpty();
	}

	@Test
	void aFailureOfTheRequestSourceStopsTheUploadAndIsPassedOnAsItIs() {
		IllegalStateException broken = new IllegalStateException("database gone");
		StepVerifier.create(this.client.upload(questions(3).concatWith(Flux.error(broken))))
			.expectErrorSatisfies((ex) -> assertThat(ex).isSameAs(broken))
			.verify(TIMEOUT);
		assertThat(this.standIn.files()).isEmpty();
	}

	// Errors

	@Test
	void anUploadThatTheServerRefusesCreatesNoFile() {
		this.standIn.failNext(503, "{\"error\": {\"message\": \"Uploads are paused\"}}");
		StepVerifier.create(this.client.upload(questions(3)))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(KlusterServerException.class)
				.hasMessageContaining("HTTP 503: Uploads are paused"))
			.verify(TIMEOUT);
		assertThat(this.standIn.files()).isEmpty();
	}

	@Test
	void aResultLineLongerThanTheLimitFailsTheResults() {
		// Long enough to arrive in several network reads, which is when a line is buffered.
		this.standIn.answer("word ".repeat(100_000));
		Batch batch = ended(submit(questions(2)));
		KlusterBatchSettings smallLines = new KlusterBatchSettings(SETTINGS.pollInterval(),
				SETTINGS.maxPollInterval(), SETTINGS.pollBackoffMultiplier(), SETTINGS.maxPollRetries(),
				SETTINGS.maxFileSize(), DataSize.ofKilobytes(64), SETTINGS.requestTimeout(),
				SETTINGS.completionWindow());
		StepVerifier.create(client(smallLines).results(batch))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(KlusterInvalidResponseException.class)
				.hasMessageContaining("A line of result file " + batch.outputFileId() + " is longer than 65536 bytes"))
			.verify(TIMEOUT);
	}

	@Test
	void aPollThatFailsForAReasonThatMayPassIsTriedAgain() {
		Batch batch = submit(questions(1));
		this.standIn.failNext(503, "<html><body>Service Unavailable</body></html>").rateLimitNext(null);
		StepVerifier.create(this.client.awaitCompletion(batch.id()).map(Batch::status))
			.expectNext(BatchStatus.COMPLETED)
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void aPollAnswered501IsNotTriedAgain() {
		Batch batch = submit(questions(1));
		this.standIn.failNext(501, "{\"error\": {\"message\": \"Not implemented\"}}");
		StepVerifier.create(this.client.awaitCompletion(batch.id()))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(KlusterServerException.class,
					(server) -> assertThat(server.statusCode()).isEqualTo(501)))
			.verify(TIMEOUT);
		assertThat(this.standIn.requests())
			.filteredOn((request) -> request.method().equals("GET")
					&& request.path().endsWith("/batches/" + batch.id()))
			.hasSize(1);
	}

	@Test
	void anUnknownBatchIsNotFound() {
		StepVerifier.create(this.client.retrieve("batch_nope"))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(KlusterNotFoundException.class)
				.hasMessageContaining("batch_nope"))
			.verify(TIMEOUT);
		StepVerifier.create(this.client.awaitCompletion("batch_nope"))
			.expectError(KlusterNotFoundException.class)
			.verify(TIMEOUT);
	}

}
