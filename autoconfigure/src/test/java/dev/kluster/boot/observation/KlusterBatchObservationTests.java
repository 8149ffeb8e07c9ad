package dev.kluster.boot.observation;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.model.BatchOptions;
import dev.kluster.boot.batch.DefaultKlusterBatchClient;
import dev.kluster.boot.batch.KlusterBatchClient;
import dev.kluster.boot.error.KlusterBatchNotCompletedException;
import dev.kluster.boot.batch.KlusterBatchSettings;
import dev.kluster.boot.batch.KlusterBatchValidationException;
import dev.kluster.boot.client.ChatDefaults;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.model.Batch;
import dev.kluster.boot.model.BatchRequest;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.KlusterFile;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.test.KlusterStandInExtension;
import org.springframework.web.reactive.function.client.WebClient;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the observation of {@link DefaultKlusterBatchClient}'s calls, against the
 * kluster.ai stand-in.
 */
class KlusterBatchObservationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final String NAME = DefaultKlusterBatchObservationConvention.DEFAULT_NAME;

	private static final String MODEL = "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo";

	private static final KlusterBatchSettings SETTINGS = KlusterBatchSettings.defaults()
		.withPolling(Duration.ofMillis(5), Duration.ofMillis(40), 2);

	@RegisterExtension
	static final KlusterStandInExtension standInExtension = new KlusterStandInExtension();

	private final TestObservationRegistry observationRegistry = TestObservationRegistry.create();

	private final SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();

	private final JsonMapper jsonMapper = JsonMapper.shared();

	private KlusterStandIn standIn;

	private KlusterBatchClient client;

	@BeforeEach
	void createClient(KlusterStandIn standIn) {
		this.standIn = standIn;
		this.observationRegistry.observationConfig()
			.observationHandler(new DefaultMeterObservationHandler(this.meterRegistry))
			.observationHandler(new KlusterBatchMeterObservationHandler(this.meterRegistry));
		this.client = client(observations(), this.observationRegistry);
	}

	private KlusterObservations observations() {
		return KlusterObservations.of(this.observationRegistry, this.standIn.baseUrl());
	}

	// On a connection, as the auto-configuration builds it: the connection carries the
	// observations.
	private KlusterBatchClient client(KlusterObservations observations, ObservationRegistry webClientRegistry) {
		WebClient webClient = WebClient.builder()
			.baseUrl(this.standIn.baseUrl())
			.observationRegistry(webClientRegistry)
			.build();
		KlusterConnection connection = KlusterConnection.builder()
			.webClient(webClient)
			.baseUrl(this.standIn.baseUrl())
			.jsonMapper(this.jsonMapper)
			.observations(observations)
			.build();
		return DefaultKlusterBatchClient.builder(connection)
			.defaults(ChatDefaults.model(MODEL))
			.settings(SETTINGS)
			.build();
	}

	private static Flux<BatchRequest> questions(int count) {
		return Flux.range(1, count)
			.map((i) -> BatchRequest.of("q-" + i,
					ChatCompletionRequest.builder().message(ChatMessage.user("question " + i)).build()));
	}

	// Counters are registered on first use: a missing one counted nothing.
	private double requestsUploaded() {
		Counter counter = this.meterRegistry.find("kluster.batch.requests.uploaded")
			.tag("gen_ai.provider.name", "kluster")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private double resultsRead(String outcome) {
		Counter counter = this.meterRegistry.find("kluster.batch.results.read")
			.tags("gen_ai.provider.name", "kluster", "outcome", outcome)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void uploadRunsInAnObservationNamedAndTaggedAfterTheDocumentation() {
		KlusterFile file = this.client.upload(questions(3)).block(TIMEOUT);
		URI baseUrl = URI.create(this.standIn.baseUrl());
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo(NAME)
			.that()
			.hasContextualNameEqualTo("batch upload")
			.hasLowCardinalityKeyValue("kluster.batch.operation", "upload")
			.hasLowCardinalityKeyValue("gen_ai.provider.name", "kluster")
			.hasLowCardinalityKeyValue("server.address", baseUrl.getHost())
			.hasLowCardinalityKeyValue("server.port", Integer.toString(baseUrl.getPort()))
			.doesNotHaveLowCardinalityKeyValueWithKey("error.type")
			.hasHighCardinalityKeyValue("kluster.file.id", file.id())
			.hasBeenStarted()
			.hasBeenStopped();
		assertThat(requestsUploaded()).isEqualTo(3);
		assertThat(this.meterRegistry.get(NAME).tag("kluster.batch.operation", "upload").timer().count())
			.isEqualTo(1);
	}

	@Test
	void documentedKeysAreTheOnesTheDefaultConventionWrites() {
		KlusterBatchObservationContext context = new KlusterBatchObservationContext(
				KlusterBatchObservationContext.RETRIEVE);
		context.setServer("api.kluster.ai", 443);
		context.setBatchId("b-1");
		context.setFileId("f-1");
		context.setError(new IllegalStateException("gone"));
		DefaultKlusterBatchObservationConvention convention = new DefaultKlusterBatchObservationConvention();
		assertThat(keys(convention.getLowCardinalityKeyValues(context))).containsExactlyInAnyOrder(
				"kluster.batch.operation",
				"gen_ai.provider.name", "server.address", "server.port", "error.type");
		assertThat(keys(convention.getHighCardinalityKeyValues(context))).containsExactlyInAnyOrder("kluster.batch.id",
				"kluster.file.id");
		assertThat(names(KlusterBatchObservationDocumentation.BATCH_OPERATION.getLowCardinalityKeyNames()))
			.containsExactly("kluster.batch.operation", "gen_ai.provider.name", "server.address", "server.port",
					"error.type");
		assertThat(names(KlusterBatchObservationDocumentation.BATCH_OPERATION.getHighCardinalityKeyNames()))
			.containsExactly("kluster.batch.id", "kluster.file.id", "kluster.batch.status");
		assertThat(KlusterBatchMeterDocumentation.REQUESTS_UPLOADED.getName())
			.isEqualTo("kluster.batch.requests.uploaded");
		assertThat(KlusterBatchMeterDocumentation.RESULTS_READ.getName()).isEqualTo("kluster.batch.results.read");
	}

	@Test
	void runIsOneObservationThatCountsRequestsAndResultsByOutcome() {
		this.standIn.failBatchLinesWhenPromptContains("question 2", "server_error", "The model crashed");
		StepVerifier.create(this.client.run(questions(4))).expectNextCount(4).expectComplete().verify(TIMEOUT);
		assertThat(this.observationRegistry).hasNumberOfObservationsWithNameEqualTo(NAME, 1)
			.hasObservationWithNameEqualTo(NAME)
			.that()
			.hasLowCardinalityKeyValue("kluster.batch.operation", "run")
			.hasBeenStopped();
		assertThat(requestsUploaded()).isEqualTo(4);
		assertThat(resultsRead("success")).isEqualTo(3);
		assertThat(resultsRead("failure")).isEqualTo(1);
	}

	@Test
	void httpExchangesOfARunAreChildrenOfItsObservation() {
		StepVerifier.create(this.client.run(questions(2))).expectNextCount(2).expectComplete().verify(TIMEOUT);
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("http.client.requests")
			.that()
			.hasParentObservationContextMatching((parent) -> NAME.equals(parent.getName())
					&& parent instanceof KlusterBatchObservationContext context
					&& KlusterBatchObservationContext.RUN.equals(context.getOperation()));
		assertThat(this.observationRegistry).hasNumberOfObservationsWithNameEqualTo("http.client.requests",
				this.standIn.requestCount());
	}

	@Test
	void eachCallOfTheStepByStepFlowHasItsOwnObservationWithTheBatchAndItsStatus() {
		Batch batch = this.client.submit(questions(2), BatchOptions.DEFAULTS).block(TIMEOUT);
		Batch ended = this.client.awaitCompletion(batch.id()).last().block(TIMEOUT);
		this.client.results(ended).collectList().block(TIMEOUT);
		this.client.retrieve(batch.id()).block(TIMEOUT);
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo(NAME)
			.that()
			.hasLowCardinalityKeyValue("kluster.batch.operation", "submit")
			.hasHighCardinalityKeyValue("kluster.batch.id", batch.id())
			.hasHighCardinalityKeyValue("kluster.file.id", batch.inputFileId());
		assertThat(this.observationRegistry).hasAnObservation((observation) -> observation
			.hasLowCardinalityKeyValue("kluster.batch.operation", "await_completion")
			.hasHighCardinalityKeyValue("kluster.batch.id", batch.id())
			.hasHighCardinalityKeyValue("kluster.batch.status", "completed"));
		assertThat(this.observationRegistry).hasAnObservation((observation) -> observation
			.hasLowCardinalityKeyValue("kluster.batch.operation", "results")
			.hasHighCardinalityKeyValue("kluster.file.id", ended.outputFileId()));
		assertThat(this.observationRegistry).hasAnObservation(
				(observation) -> observation.hasLowCardinalityKeyValue("kluster.batch.operation", "retrieve"));
		assertThat(requestsUploaded()).isEqualTo(2);
		assertThat(resultsRead("success")).isEqualTo(2);
	}

	@Test
	void refusedUploadFailsItsObservationAndCountsNoRequest() {
		Flux<BatchRequest> requests = questions(3).map((request) -> !request.customId().equals("q-2") ? request
				: request.withBody(request.body().toBuilder().temperature(3.0).build()));
		StepVerifier.create(this.client.upload(requests))
			.expectError(KlusterBatchValidationException.class)
			.verify(TIMEOUT);
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo(NAME)
			.that()
			.hasLowCardinalityKeyValue("error.type", KlusterBatchValidationException.class.getCanonicalName())
			.hasBeenStopped();
		assertThat(requestsUploaded()).isZero();
		assertThat(this.meterRegistry.find("kluster.batch.requests.uploaded").counter()).isNull();
	}

	@Test
	void batchThatDidNotCompleteFailsTheRunButCountsWhatWasUploadedAndRead() {
		this.standIn.expireBatches();
		StepVerifier.create(this.client.run(questions(4)))
			.expectNextCount(4)
			.expectError(KlusterBatchNotCompletedException.class)
			.verify(TIMEOUT);
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo(NAME)
			.that()
			.hasLowCardinalityKeyValue("error.type", KlusterBatchNotCompletedException.class.getCanonicalName())
			.hasHighCardinalityKeyValue("kluster.batch.status", "expired");
		assertThat(requestsUploaded()).isEqualTo(4);
		assertThat(resultsRead("success")).isEqualTo(2);
		assertThat(resultsRead("failure")).isEqualTo(2);
	}

	@Test
	void cancelledWaitStopsWithoutErrorAndNotesTheCancel() {
		this.standIn.batchTimeline(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(1));
		Batch batch = client(KlusterObservations.NOOP, ObservationRegistry.NOOP).submit(questions(1), BatchOptions.DEFAULTS).block(TIMEOUT);
		StepVerifier.create(this.client.awaitCompletion(batch.id())).expectNextCount(1).thenCancel().verify(TIMEOUT);
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo(NAME)
			.that()
			.hasLowCardinalityKeyValue("kluster.batch.operation", "await_completion")
			.doesNotHaveLowCardinalityKeyValueWithKey("error.type")
			.hasEvent("cancelled")
			.hasBeenStopped();
	}

	@Test
	void callTakesItsParentFromTheSubscribersReactorContext() {
		Observation parent = Observation.start("request.of.the.application", this.observationRegistry);
		this.client.list()
			.collectList()
			.contextWrite((context) -> context.put(ObservationThreadLocalAccessor.KEY, parent))
			.block(TIMEOUT);
		parent.stop();
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo(NAME)
			.that()
			.hasLowCardinalityKeyValue("kluster.batch.operation", "list")
			.hasParentObservationEqualTo(parent);
	}

	@Test
	void applicationConventionReplacesTheDefaultOne() {
		KlusterBatchObservationConvention custom = new DefaultKlusterBatchObservationConvention() {

			@Override
			public String getName() {
				return "my.batch";
			}

		};
		KlusterBatchClient client = client(observations().withBatchConvention(custom), ObservationRegistry.NOOP);
		client.list().collectList().block(TIMEOUT);
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("my.batch")
			.that()
			.hasLowCardinalityKeyValue("kluster.batch.operation", "list");
	}

	@Test
	void withoutRegistryCallsStillWork() {
		KlusterBatchClient unobserved = client(KlusterObservations.NOOP, ObservationRegistry.NOOP);
		StepVerifier.create(unobserved.run(questions(2))).expectNextCount(2).expectComplete().verify(TIMEOUT);
		assertThat(this.observationRegistry).doesNotHaveAnyObservation();
	}

	private static List<String> keys(KeyValues keyValues) {
		return keyValues.stream().map(KeyValue::getKey).toList();
	}

	private static List<String> names(KeyName[] keyNames) {
		return Arrays.stream(keyNames).map(KeyName::asString).toList();
	}

}
