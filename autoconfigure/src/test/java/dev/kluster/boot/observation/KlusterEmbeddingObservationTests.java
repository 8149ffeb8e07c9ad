package dev.kluster.boot.observation;

import java.time.Duration;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.client.DefaultKlusterEmbeddingClient;
import dev.kluster.boot.client.EmbeddingDefaults;
import dev.kluster.boot.client.KlusterEmbeddingClient;
import dev.kluster.boot.client.MockKlusterServer;
import dev.kluster.boot.error.KlusterServerException;
import dev.kluster.boot.model.EmbeddingRequest;
import dev.kluster.boot.model.EncodingFormat;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterRetry;
import dev.kluster.boot.transport.KlusterTimeouts;
import dev.kluster.boot.validation.KlusterValidationException;
import dev.kluster.boot.validation.ValidationPolicy;
import org.springframework.web.reactive.function.client.WebClient;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the observation of {@link DefaultKlusterEmbeddingClient} calls: the chat
 * observation with {@code gen_ai.operation.name=embeddings}, its meters and attributes.
 */
class KlusterEmbeddingObservationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String MODEL = "test/embedding-model";

	private static final String NAME = "gen_ai.client.operation.duration";

	private static final String ANSWER = "{\"object\":\"list\",\"model\":\"" + MODEL + "\",\"data\":["
			+ "{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.5,0.25,-1.0,2.0]}],"
			+ "\"usage\":{\"prompt_tokens\":3,\"total_tokens\":3}}";

	@RegisterExtension
	final MockKlusterServer server = new MockKlusterServer();

	private final TestObservationRegistry observationRegistry = TestObservationRegistry.create();

	private final SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();

	@BeforeEach
	void registerMeterHandlers() {
		this.observationRegistry.observationConfig()
			.observationHandler(new FirstMatchingCompositeObservationHandler(
					new KlusterChatMeterObservationHandler(this.meterRegistry),
					new DefaultMeterObservationHandler(this.meterRegistry)));
	}

	private KlusterEmbeddingClient client() {
		KlusterObservations observations = KlusterObservations.of(this.observationRegistry, this.server.baseUrl())
			.withValidationRejections(new KlusterValidationRejections(this.meterRegistry,
					new ValidationParameterTags(ValidationPolicy.defaults())));
		KlusterConnection connection = KlusterConnection.builder()
			.webClient(WebClient.builder().baseUrl(this.server.baseUrl()).build())
			.baseUrl(this.server.baseUrl())
			.jsonMapper(JsonMapper.shared())
			.observations(observations)
			.build();
		return DefaultKlusterEmbeddingClient.builder(connection)
			.defaults(EmbeddingDefaults.model(MODEL))
			.timeouts(KlusterTimeouts.of(TIMEOUT))
			.retry(KlusterRetry.none())
			.build();
	}

	@Test
	void embeddingRunsInAnObservationWithTheEmbeddingsOperation() {
		this.server.enqueueJson(200, ANSWER);
		EmbeddingRequest request = EmbeddingRequest.builder().input("Hello").encodingFormat(EncodingFormat.FLOAT).build();
		StepVerifier.create(client().embed(request)).expectNextCount(1).expectComplete().verify(TIMEOUT);
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo(NAME)
			.that()
			.hasContextualNameEqualTo("embeddings " + MODEL)
			.hasBeenStopped()
			.doesNotHaveError()
			.hasLowCardinalityKeyValue("gen_ai.operation.name", "embeddings")
			.hasLowCardinalityKeyValue("gen_ai.provider.name", "kluster")
			.hasLowCardinalityKeyValue("gen_ai.request.model", MODEL)
			.hasLowCardinalityKeyValue("gen_ai.response.model", MODEL)
			.hasHighCardinalityKeyValue("gen_ai.usage.input_tokens", "3")
			.hasHighCardinalityKeyValue("gen_ai.request.encoding_formats", "[\"float\"]")
			.hasHighCardinalityKeyValue("gen_ai.embeddings.dimension.count", "4")
			.doesNotHaveHighCardinalityKeyValueWithKey("gen_ai.response.id")
			.doesNotHaveHighCardinalityKeyValueWithKey("gen_ai.response.finish_reasons")
			.doesNotHaveHighCardinalityKeyValueWithKey("gen_ai.request.stream");
		assertThat(this.meterRegistry.get(NAME).tag("gen_ai.operation.name", "embeddings").timer().count())
			.isEqualTo(1);
		assertThat(this.meterRegistry.get("gen_ai.client.token.usage").tag("gen_ai.token.type", "input").summary()
			.totalAmount()).isEqualTo(3);
		// Embeddings generate no tokens: no output sample of 0 drags a chat's average down.
		assertThat(this.meterRegistry.find("gen_ai.client.token.usage").tag("gen_ai.token.type", "output").meters())
			.isEmpty();
	}

	@Test
	void failedEmbeddingStopsWithTheErrorType() {
		this.server.enqueueJson(503, "{\"error\":{\"message\":\"down\"}}");
		StepVerifier.create(client().embed("Hello")).expectError(KlusterServerException.class).verify(TIMEOUT);
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo(NAME)
			.that()
			.hasLowCardinalityKeyValue("gen_ai.operation.name", "embeddings")
			.hasLowCardinalityKeyValue("error.type", KlusterServerException.class.getCanonicalName());
	}

	@Test
	void refusedEmbeddingIsCountedAsARejectionAndNotObserved() {
		EmbeddingRequest request = EmbeddingRequest.builder().input("Hello").dimensions(64).build();
		StepVerifier.create(client().embed(request)).expectError(KlusterValidationException.class).verify(TIMEOUT);
		assertThat(this.observationRegistry).doesNotHaveAnyObservation();
		assertThat(this.meterRegistry.get("kluster.client.validation.rejections").tag("parameter", "dimensions")
			.counter()
			.count()).isEqualTo(1);
	}

}
