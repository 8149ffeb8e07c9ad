package dev.kluster.boot.observation;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.tck.TestObservationRegistry;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.client.ChatDefaults;
import dev.kluster.boot.client.DefaultKlusterChatClient;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.error.KlusterRateLimitException;
import dev.kluster.boot.client.MockKlusterServer;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.Role;
import dev.kluster.boot.validation.KlusterValidationException;
import dev.kluster.boot.validation.ValidationPolicy;
import dev.kluster.boot.validation.Violation;
import org.springframework.web.reactive.function.client.WebClient;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterTimeouts;
import dev.kluster.boot.transport.KlusterRetry;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the observation of {@link DefaultKlusterChatClient} calls against a local
 * server, with {@link KlusterChatMeterObservationHandler} before Micrometer's own meter
 * handler, as Spring Boot registers them.
 */
class KlusterChatObservationTests {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	static final String MODEL = "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo";

	static final String NAME = "gen_ai.client.operation.duration";

	static final String COMPLETION = """
			{"id":"chatcmpl-1","object":"chat.completion","created":1733832777,"model":"%s",
			 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"},"finish_reason":"stop"}],
			 "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}""".formatted(MODEL);

	static final String CHUNK_1 = "{\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + MODEL
			+ "\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Par\"}}]}";

	static final String CHUNK_2 = "{\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + MODEL
			+ "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"is\"}}]}";

	static final String CHUNK_3_WITH_USAGE = "{\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
			+ MODEL + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
			+ "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}";

	static final String CHUNK_3_WITHOUT_USAGE = "{\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
			+ MODEL + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}";

	@RegisterExtension
	final MockKlusterServer server = new MockKlusterServer();

	private final TestObservationRegistry observationRegistry = TestObservationRegistry.create();

	private final SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();

	private final JsonMapper jsonMapper = JsonMapper.shared();

	@BeforeEach
	void registerMeterHandlers() {
		// As Spring Boot registers meter handlers: the first that supports an observation
		// records its meters.
		this.observationRegistry.observationConfig()
			.observationHandler(new FirstMatchingCompositeObservationHandler(
					new KlusterChatMeterObservationHandler(this.meterRegistry),
					new DefaultMeterObservationHandler(this.meterRegistry)));
	}

	private KlusterChatClient client(KlusterObservations observations, ObservationRegistry webClientRegistry) {
		WebClient webClient = WebClient.builder()
			.baseUrl(this.server.baseUrl())
			.observationRegistry(webClientRegistry)
			.build();
		return DefaultKlusterChatClient.builder(connection(webClient, observations))
			.defaults(ChatDefaults.model(MODEL))
			.timeouts(KlusterTimeouts.of(TIMEOUT))
			.retry(KlusterRetry.none())
			.build();
	}

	private KlusterConnection connection(WebClient webClient, KlusterObservations observations) {
		return KlusterConnection.builder()
			.webClient(webClient)
			.baseUrl(this.server.baseUrl())
			.jsonMapper(this.jsonMapper)
			.observations(observations)
			.build();
	}

	private KlusterObservations observations() {
		return KlusterObservations.of(this.observationRegistry, this.server.baseUrl())
			.withValidationRejections(new KlusterValidationRejections(this.meterRegistry,
					new ValidationParameterTags(ValidationPolicy.defaults())));
	}

	private KlusterChatClient client() {
		return client(observations(), this.observationRegistry);
	}

	private static ChatCompletionRequest question() {
		return ChatCompletionRequest.builder()
			.message(ChatMessage.system("Be brief."), ChatMessage.user("Capital of France?"))
			.temperature(0.2)
			.build();
	}

	private void enqueueStream(String... chunks) {
		String[] lines = new String[chunks.length + 1];
		System.arraycopy(chunks, 0, lines, 0, chunks.length);
		lines[chunks.length] = "[DONE]";
		this.server.enqueueStream(MockKlusterServer.sse(lines), 64);
	}

	@Test
	void completionRunsInAnObservationNamedAndTaggedAfterTheConventions() {
		this.server.enqueueJson(200, COMPLETION);
		StepVerifier.create(client().chat(question())).expectNextCount(1).expectComplete().verify(TIMEOUT);
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo(NAME)
			.that()
			.hasContextualNameEqualTo("chat " + MODEL)
			.hasBeenStarted()
			.hasBeenStopped()
			.doesNotHaveError()
			.hasLowCardinalityKeyValue("gen_ai.operation.name", "chat")
			.hasLowCardinalityKeyValue("gen_ai.provider.name", "kluster")
			.hasLowCardinalityKeyValue("gen_ai.request.model", MODEL)
			.hasLowCardinalityKeyValue("gen_ai.response.model", MODEL)
			.hasLowCardinalityKeyValue("server.address", "127.0.0.1")
			.hasLowCardinalityKeyValue("server.port", Integer.toString(URI.create(this.server.baseUrl()).getPort()))
			.doesNotHaveLowCardinalityKeyValueWithKey("error.type")
			.hasHighCardinalityKeyValue("gen_ai.response.id", "chatcmpl-1")
			.hasHighCardinalityKeyValue("gen_ai.response.finish_reasons", "[\"stop\"]")
			.hasHighCardinalityKeyValue("gen_ai.request.temperature", "0.2")
			.hasHighCardinalityKeyValue("gen_ai.usage.input_tokens", "5")
			.hasHighCardinalityKeyValue("gen_ai.usage.output_tokens", "2")
			.doesNotHaveHighCardinalityKeyValueWithKey("gen_ai.request.stream")
			.doesNotHaveHighCardinalityKeyValueWithKey("gen_ai.input.messages")
			.doesNotHaveHighCardinalityKeyValueWithKey("gen_ai.output.messages");
		Timer timer = this.meterRegistry.get(NAME).tag("gen_ai.request.model", MODEL).timer();
		assertThat(timer.count()).isEqualTo(1);
		assertThat(tokens("input").totalAmount()).isEqualTo(5);
		assertThat(tokens("output").totalAmount()).isEqualTo(2);
		assertThat(this.meterRegistry.find("gen_ai.client.operation.time_to_first_chunk").meters()).isEmpty();
		assertThat(activeCalls()).isZero();
	}

	@Test
	void highCardinalityValuesNeverBecomeMeterTags() {
		this.server.enqueueJson(200, COMPLETION);
		StepVerifier.create(client().chat(question())).expectNextCount(1).expectComplete().verify(TIMEOUT);
		for (Meter meter : this.meterRegistry.getMeters()) {
			assertThat(meter.getId().getTags()).extracting((tag) -> tag.getKey())
				.doesNotContain("gen_ai.response.id", "gen_ai.response.finish_reasons", "gen_ai.request.temperature",
						"gen_ai.usage.input_tokens", "gen_ai.input.messages");
		}
	}

	@Test
	void streamRecordsFirstChunkTimeAndTheUsageOfItsLastChunk() {
		enqueueStream(CHUNK_1, CHUNK_2, CHUNK_3_WITH_USAGE);
		StepVerifier.create(client().stream(question())).expectNextCount(3).expectComplete().verify(TIMEOUT);
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo(NAME)
			.that()
			.hasContextualNameEqualTo("chat " + MODEL)
			.hasBeenStopped()
			.doesNotHaveError()
			.hasLowCardinalityKeyValue("gen_ai.response.model", MODEL)
			.hasHighCardinalityKeyValue("gen_ai.request.stream", "true")
			.hasHighCardinalityKeyValue("gen_ai.response.id", "c2")
			.hasHighCardinalityKeyValue("gen_ai.response.finish_reasons", "[\"stop\"]")
			.hasHighCardinalityKeyValue("gen_ai.usage.input_tokens", "9")
			.hasHighCardinalityKeyValueWithKey("gen_ai.response.time_to_first_chunk");
		Timer firstChunk = this.meterRegistry.get("gen_ai.client.operation.time_to_first_chunk").timer();
		assertThat(firstChunk.count()).isEqualTo(1);
		// A stream's mean gap recorded once per chunk would not be a measurement of chunks.
		assertThat(this.meterRegistry.find("gen_ai.client.operation.time_per_output_chunk").meter()).isNull();
		assertThat(tokens("input").totalAmount()).isEqualTo(9);
		assertThat(tokens("output").totalAmount()).isEqualTo(2);
		assertThat(firstChunk.getId().getTags()).extracting((tag) -> tag.getKey())
			.containsExactlyInAnyOrder("gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.request.model",
					"gen_ai.response.model", "server.address", "server.port");
	}

	@Test
	void streamWithoutUsageRecordsNoTokens() {
		enqueueStream(CHUNK_1, CHUNK_2, CHUNK_3_WITHOUT_USAGE);
		StepVerifier.create(client().stream(question())).expectNextCount(3).expectComplete().verify(TIMEOUT);
		assertThat(this.meterRegistry.find("gen_ai.client.token.usage").meters()).isEmpty();
		assertThat(this.meterRegistry.get("gen_ai.client.operation.time_to_first_chunk").timer().count()).isEqualTo(1);
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo(NAME)
			.that()
			.doesNotHaveHighCardinalityKeyValueWithKey("gen_ai.usage.input_tokens");
	}

	@Test
	void failedCallStopsWithTheErrorTypeOfItsException() {
		this.server.enqueueJson(429, "{\"error\":{\"message\":\"Slow down\",\"type\":\"rate_limit\"}}");
		StepVerifier.create(client().chat(question()))
			.expectError(KlusterRateLimitException.class)
			.verify(TIMEOUT);
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo(NAME)
			.that()
			.hasBeenStopped()
			.hasError()
			.hasLowCardinalityKeyValue("error.type", KlusterRateLimitException.class.getName())
			.doesNotHaveLowCardinalityKeyValueWithKey("gen_ai.response.model");
		assertThat(this.meterRegistry.get(NAME).tag("error.type", KlusterRateLimitException.class.getName()).timer()
			.count()).isEqualTo(1);
		assertThat(this.meterRegistry.find("gen_ai.client.token.usage").meters()).isEmpty();
		assertThat(activeCalls()).isZero();
	}

	@Test
	void failedStreamStopsWithTheErrorTypeOfItsException() {
		this.server.enqueueStream(MockKlusterServer.sse(CHUNK_1), 64);
		StepVerifier.create(client().stream(question())).expectNextCount(1).expectError().verify(TIMEOUT);
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo(NAME)
			.that()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("error.type", "dev.kluster.boot.error.KlusterInvalidResponseException");
		assertThat(this.meterRegistry.get("gen_ai.client.operation.time_to_first_chunk").timer().count()).isEqualTo(1);
	}

	@Test
	void cancelledStreamStopsWithoutErrorAndNotesTheCancel() {
		this.server.enqueue(new MockResponse.Builder().code(200)
			.setHeader("Content-Type", "text/event-stream")
			.body(MockKlusterServer.sse(CHUNK_1, CHUNK_2, CHUNK_2, CHUNK_2, CHUNK_2, CHUNK_3_WITH_USAGE, "[DONE]"))
			.throttleBody(200, 200, TimeUnit.MILLISECONDS)
			.build());
		StepVerifier.create(client().stream(question()).take(1)).expectNextCount(1).expectComplete().verify(TIMEOUT);
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo(NAME)
			.that()
			.hasBeenStopped()
			.doesNotHaveError()
			.doesNotHaveLowCardinalityKeyValueWithKey("error.type")
			.hasEvent("cancelled");
		assertThat(this.meterRegistry.get(NAME + ".cancelled").counter().count()).isEqualTo(1);
		assertThat(this.meterRegistry.get(NAME).timer().count()).isEqualTo(1);
		assertThat(activeCalls()).isZero();
	}

	@Test
	void httpExchangeOfACompletionIsAChildOfTheCallsObservation() {
		this.server.enqueueJson(200, COMPLETION);
		StepVerifier.create(client().chat(question())).expectNextCount(1).expectComplete().verify(TIMEOUT);
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("http.client.requests")
			.that()
			.hasParentObservationContextMatching((parent) -> NAME.equals(parent.getName()));
	}

	@Test
	void httpExchangeOfAStreamIsAChildOfTheCallsObservation() {
		enqueueStream(CHUNK_1, CHUNK_2, CHUNK_3_WITH_USAGE);
		StepVerifier.create(client().stream(question())).expectNextCount(3).expectComplete().verify(TIMEOUT);
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("http.client.requests")
			.that()
			.hasParentObservationContextMatching((parent) -> NAME.equals(parent.getName())
					&& parent instanceof KlusterChatObservationContext context && context.isStreaming());
	}

	@Test
	void callTakesItsParentFromTheSubscribersReactorContext() {
		this.server.enqueueJson(200, COMPLETION);
		Observation parent = Observation.start("request.of.the.application", this.observationRegistry);
		StepVerifier
			.create(client().chat(question())
				.contextWrite((context) -> context.put(ObservationThreadLocalAccessor.KEY, parent)))
			.expectNextCount(1)
			.expectComplete()
			.verify(TIMEOUT);
		parent.stop();
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo(NAME)
			.that()
			.hasParentObservationEqualTo(parent);
	}

	@Test
	void validationRejectionsAreCountedByBoundedParameterName() throws Exception {
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.message(ChatMessage.builder(Role.USER).content("Hi").name("ann").build(),
					ChatMessage.builder(Role.USER).content("Hi").name("bob").build())
			.n(2)
			.temperature(7.0)
			.extraBody("store", true)
			.build();
		StepVerifier.create(client().chat(request)).expectError(KlusterValidationException.class).verify(TIMEOUT);
		assertThat(this.server.requestCount()).isZero();
		assertThat(rejections()).containsOnlyKeys("n", "messages[].name", "store", "temperature")
			.containsEntry("messages[].name", 1.0);
		// It never reached kluster.ai: no operation to observe or time.
		assertThat(this.observationRegistry).doesNotHaveAnyObservation();
		assertThat(this.meterRegistry.find(NAME).timer()).isNull();
	}

	@Test
	void validationRejectionsAreCountedAlsoWhenCallsAreNotObserved() {
		KlusterChatClient client = client(KlusterObservations.NOOP.withValidationRejections(
				new KlusterValidationRejections(this.meterRegistry, new ValidationParameterTags(ValidationPolicy.defaults()))),
				ObservationRegistry.NOOP);
		ChatCompletionRequest request = question().toBuilder().n(2).build();
		StepVerifier.create(client.stream(request)).expectError(KlusterValidationException.class).verify(TIMEOUT);
		assertThat(rejections()).containsOnlyKeys("n").containsEntry("n", 1.0);
	}

	@Test
	void queuedCompletionIsObservedAsAChatCall() {
		this.server.enqueueJson(200, COMPLETION);
		StepVerifier.create(client().submitAsync(question())).expectNextCount(1).expectComplete().verify(TIMEOUT);
		assertThat(this.observationRegistry).hasNumberOfObservationsWithNameEqualTo(NAME, 1)
			.hasObservationWithNameEqualTo(NAME)
			.that()
			.hasContextualNameEqualTo("chat " + MODEL)
			.hasLowCardinalityKeyValue("gen_ai.operation.name", "chat")
			.doesNotHaveLowCardinalityKeyValueWithKey("error.type")
			.hasBeenStopped();
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("http.client.requests")
			.that()
			.hasParentObservationContextMatching((parent) -> NAME.equals(parent.getName()));
	}

	@Test
	void rejectedParametersOutsideTheKnownNamesAreCountedAsOther() {
		DefaultKlusterChatClient client = DefaultKlusterChatClient
			.builder(connection(WebClient.create(), observations()))
			.validator((request) -> {
				throw new KlusterValidationException(
						List.of(new Violation("x-" + System.nanoTime(), "is made up", null),
								new Violation("messages[7].sneaky", "is made up", null)));
			})
			.defaults(ChatDefaults.model(MODEL))
			.timeouts(KlusterTimeouts.of(TIMEOUT))
			.retry(KlusterRetry.none())
			.build();
		for (int i = 0; i < 20; i++) {
			StepVerifier.create(client.chat("Hi")).expectError(KlusterValidationException.class).verify(TIMEOUT);
		}
		assertThat(rejections()).containsOnlyKeys("other").containsEntry("other", 20.0);
	}

	@Test
	void modelListRunsInAnObservationWithoutModel() {
		this.server.enqueueJson(200, "{\"object\":\"list\",\"data\":[{\"id\":\"" + MODEL + "\",\"object\":\"model\"}]}");
		StepVerifier.create(client().models()).expectNextCount(1).expectComplete().verify(TIMEOUT);
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo(NAME)
			.that()
			.hasContextualNameEqualTo("list_models")
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("gen_ai.operation.name", "list_models")
			.doesNotHaveLowCardinalityKeyValueWithKey("gen_ai.request.model");
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("http.client.requests")
			.that()
			.hasParentObservationContextMatching((parent) -> NAME.equals(parent.getName()));
	}

	@Test
	void modelTagsAreBoundedWhenRequestsNameManyDistinctModels() {
		KlusterObservations observations = observations()
			.withDefaultChatConvention(new DefaultKlusterChatObservationConvention(3));
		KlusterChatClient client = client(observations, ObservationRegistry.NOOP);
		for (int i = 0; i < 12; i++) {
			this.server.enqueueJson(404, "{\"error\":{\"message\":\"The model does not exist\"}}");
			ChatCompletionRequest request = question().toBuilder().model("made-up-model-" + i).build();
			StepVerifier.create(client.chat(request)).expectError().verify(TIMEOUT);
		}
		Set<String> models = this.meterRegistry.find(NAME)
			.timers()
			.stream()
			.map((timer) -> timer.getId().getTag("gen_ai.request.model"))
			.collect(Collectors.toSet());
		assertThat(models).containsExactlyInAnyOrder("made-up-model-0", "made-up-model-1", "made-up-model-2",
				"_OTHER");
		// Spans still get the exact model: the high-cardinality value replaces the bounded one.
		assertThat(this.observationRegistry).hasAnObservation((observation) -> observation
			.hasLowCardinalityKeyValue("gen_ai.request.model", "_OTHER")
			.hasHighCardinalityKeyValue("gen_ai.request.model", "made-up-model-11")
			.hasContextualNameEqualTo("chat made-up-model-11"));
	}

	@Test
	void contentIsRecordedOnlyWhenTurnedOn() {
		this.server.enqueueJson(200, COMPLETION);
		enqueueStream(CHUNK_1, CHUNK_2, CHUNK_3_WITH_USAGE);
		KlusterChatClient client = client(observations().withContentRecorded(true), ObservationRegistry.NOOP);
		StepVerifier.create(client.chat(question())).expectNextCount(1).expectComplete().verify(TIMEOUT);
		StepVerifier.create(client.stream(question())).expectNextCount(3).expectComplete().verify(TIMEOUT);
		String input = "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Be brief.\"}]},"
				+ "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Capital of France?\"}]}]";
		assertThat(this.observationRegistry)
			.hasAnObservation((observation) -> observation.hasHighCardinalityKeyValue("gen_ai.input.messages", input)
				.hasHighCardinalityKeyValue("gen_ai.output.messages",
						"[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello there\"}],"
								+ "\"finish_reason\":\"stop\"}]"))
			.hasAnObservation((observation) -> observation.hasHighCardinalityKeyValue("gen_ai.output.messages",
					"[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Paris\"}],"
							+ "\"finish_reason\":\"stop\"}]"));
	}

	@Test
	void applicationConventionReplacesTheDefaultOne() {
		this.server.enqueueJson(200, COMPLETION);
		KlusterChatObservationConvention custom = new DefaultKlusterChatObservationConvention() {

			@Override
			public String getName() {
				return "my.llm.calls";
			}

		};
		KlusterChatClient client = client(observations().withChatConvention(custom), ObservationRegistry.NOOP);
		StepVerifier.create(client.chat(question())).expectNextCount(1).expectComplete().verify(TIMEOUT);
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("my.llm.calls");
		assertThat(this.meterRegistry.find(NAME).meters()).isEmpty();
	}

	@Test
	void withoutRegistryOrWithObservationsTurnedOffCallsStillWork() {
		this.server.enqueueJson(200, COMPLETION);
		this.server.enqueueJson(200, COMPLETION);
		KlusterChatClient unobserved = client(KlusterObservations.NOOP, ObservationRegistry.NOOP);
		StepVerifier.create(unobserved.chat("Hi")).expectNext("Hello there").expectComplete().verify(TIMEOUT);
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new DefaultMeterObservationHandler(this.meterRegistry))
			.observationPredicate((name, context) -> !name.startsWith("gen_ai"));
		KlusterChatClient filtered = client(KlusterObservations.of(registry, this.server.baseUrl()),
				ObservationRegistry.NOOP);
		StepVerifier.create(filtered.chat("Hi")).expectNext("Hello there").expectComplete().verify(TIMEOUT);
		assertThat(this.meterRegistry.getMeters()).isEmpty();
	}

	@Test
	void noCallIsLeftInFlightAfterCompletionsErrorsAndCancels() {
		this.server.enqueueJson(200, COMPLETION);
		this.server.enqueueJson(500, "{\"error\":{\"message\":\"boom\"}}");
		enqueueStream(CHUNK_1, CHUNK_2, CHUNK_3_WITH_USAGE);
		KlusterChatClient client = client();
		StepVerifier.create(client.chat(question())).expectNextCount(1).expectComplete().verify(TIMEOUT);
		StepVerifier.create(client.chat(question())).expectError().verify(TIMEOUT);
		StepVerifier.create(client.stream(question()).take(1)).expectNextCount(1).expectComplete().verify(TIMEOUT);
		StepVerifier.create(Mono.from(client.stream(question()))).thenCancel().verify(TIMEOUT);
		assertThat(activeCalls()).isZero();
	}

	private DistributionSummary tokens(String type) {
		return this.meterRegistry.get("gen_ai.client.token.usage").tag("gen_ai.token.type", type).summary();
	}

	private long activeCalls() {
		return this.meterRegistry.find(NAME + ".active")
			.longTaskTimers()
			.stream()
			.mapToLong(LongTaskTimer::activeTasks)
			.sum();
	}

	private Map<String, Double> rejections() {
		return rejections(this.meterRegistry);
	}

	static Map<String, Double> rejections(MeterRegistry meterRegistry) {
		return meterRegistry.find("kluster.client.validation.rejections")
			.counters()
			.stream()
			.collect(Collectors.toMap((counter) -> counter.getId().getTag("parameter"), (counter) -> counter.count()));
	}

}
