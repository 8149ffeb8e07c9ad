package dev.kluster.boot.client;

import java.time.Duration;
import java.util.List;

import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.contract.OpenAiContract;
import dev.kluster.boot.error.KlusterBadRequestException;
import dev.kluster.boot.error.KlusterInvalidResponseException;
import dev.kluster.boot.error.KlusterRateLimitWaitException;
import dev.kluster.boot.error.KlusterTimeoutException;
import dev.kluster.boot.model.EmbeddingRequest;
import dev.kluster.boot.model.EmbeddingResponse;
import dev.kluster.boot.model.EmbeddingVectorDeserializer;
import dev.kluster.boot.model.EncodingFormat;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterRateLimit;
import dev.kluster.boot.transport.KlusterRetry;
import dev.kluster.boot.transport.KlusterTimeouts;
import dev.kluster.boot.validation.KlusterValidationException;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link DefaultKlusterEmbeddingClient} against a local HTTP server.
 */
class DefaultKlusterEmbeddingClientTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String MODEL = "test/embedding-model";

	private static final float[] FIRST = { 0.25f, -0.5f, 1.0f };

	private static final float[] SECOND = { -1.5f, 0.125f, 3.0f };

	private final JsonMapper jsonMapper = JsonMapper.shared();

	@RegisterExtension
	final MockKlusterServer server = new MockKlusterServer();

	private KlusterEmbeddingClient client(EmbeddingDefaults defaults, Duration responseTimeout, KlusterRetry retry) {
		WebClient webClient = WebClient.builder()
			.defaultHeaders((headers) -> headers.setBearerAuth("sk-test-secret"))
			.build();
		KlusterConnection connection = KlusterConnection.builder()
			.webClient(webClient)
			.baseUrl(this.server.baseUrl())
			.jsonMapper(this.jsonMapper)
			.build();
		return DefaultKlusterEmbeddingClient.builder(connection)
			.defaults(defaults)
			.timeouts(KlusterTimeouts.of(responseTimeout))
			.retry(retry)
			.build();
	}

	private KlusterEmbeddingClient client() {
		return client(EmbeddingDefaults.model(MODEL), TIMEOUT, KlusterRetry.none());
	}

	private static String answer(String firstVector, String secondVector) {
		String data = "{\"object\":\"embedding\",\"index\":0,\"embedding\":" + firstVector + "}"
				+ ((secondVector != null) ? ",{\"object\":\"embedding\",\"index\":1,\"embedding\":" + secondVector + "}"
						: "");
		return "{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"" + MODEL
				+ "\",\"usage\":{\"prompt_tokens\":4,\"total_tokens\":4}}";
	}

	@Test
	void warmUpSendsNothingAndTheFirstCallThenReadsItsAnswer() {
		DefaultKlusterEmbeddingClient client = (DefaultKlusterEmbeddingClient) client();
		client.warmUp();
		assertThat(this.server.requestCount()).isZero();
		this.server.enqueueJson(200, answer("[0.25,-0.5,1.0]", "\"AADAvwAAAD4AAEBA\""));
		StepVerifier.create(client.embed(EmbeddingRequest.builder().input("Hello", "World").build()))
			.assertNext((response) -> assertThat(response.vectors()).containsExactly(FIRST, SECOND))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void warmUpGetsPastDefaultsThatNoRequestPasses() {
		DefaultKlusterEmbeddingClient client = (DefaultKlusterEmbeddingClient) client(EmbeddingDefaults.NONE, TIMEOUT,
				KlusterRetry.none());
		client.warmUp();
		assertThat(this.server.requestCount()).isZero();
		StepVerifier.create(client.embed("Hello")).expectError(KlusterValidationException.class).verify(TIMEOUT);
	}

	@Test
	void anEmbeddingCallTakesFromTheBudgetOfItsModel() {
		String other = "BAAI/bge-m3";
		KlusterRateLimit rateLimit = KlusterRateLimit.builder()
			.defaults(new KlusterRateLimit.Limits(1L, null))
			.maxWait(Duration.ZERO)
			.build();
		KlusterConnection connection = KlusterConnection.builder()
			.apiKey("sk-test-secret")
			.baseUrl(this.server.baseUrl())
			.rateLimit(rateLimit)
			.build();
		KlusterEmbeddingClient client = DefaultKlusterEmbeddingClient.builder(connection)
			.defaults(EmbeddingDefaults.model(MODEL))
			.timeouts(KlusterTimeouts.of(TIMEOUT))
			.retry(KlusterRetry.none())
			.build();
		this.server.enqueueJson(200, answer("[0.25,-0.5,1.0]", null));
		this.server.enqueueJson(200, answer("[0.25,-0.5,1.0]", null));
		StepVerifier.create(client.embed("Hello")).expectNextCount(1).expectComplete().verify(TIMEOUT);
		// The budget of one model is spent, not that of another nor the one of requests
		// without a model.
		StepVerifier.create(client.embed("Hello"))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(KlusterRateLimitWaitException.class,
					(wait) -> assertThat(wait.model()).isEqualTo(MODEL)))
			.verify(TIMEOUT);
		StepVerifier.create(client.embed(EmbeddingRequest.builder().model(other).input("Hello").build()))
			.expectNextCount(1)
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void embedsOneTextWithTheDefaultModel() throws Exception {
		this.server.enqueueJson(200, answer("[0.25,-0.5,1.0]", null));
		StepVerifier.create(client().embed("Hello"))
			.assertNext((vector) -> assertThat(vector).containsExactly(FIRST))
			.expectComplete()
			.verify(TIMEOUT);
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getTarget()).isEqualTo("/v1/embeddings");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer sk-test-secret");
		JsonNode body = this.jsonMapper.readTree(request.getBody().utf8());
		assertThat(body.get("model").asString()).isEqualTo(MODEL);
		assertThat(body.get("input").asString()).isEqualTo("Hello");
		assertThat(body.has("encoding_format")).isFalse();
	}

	@Test
	void answerIsValidAgainstOpenAisSchemaAndReadWithItsUsage() {
		String answer = answer("[0.25,-0.5,1.0]", "[-1.5,0.125,3.0]");
		OpenAiContract.assertValid("CreateEmbeddingResponse", answer);
		this.server.enqueueJson(200, answer);
		StepVerifier.create(client().embed(EmbeddingRequest.builder().input("a", "b").build()))
			.assertNext((response) -> {
				assertThat(response.model()).isEqualTo(MODEL);
				assertThat(response.usage().promptTokens()).isEqualTo(4);
				assertThat(response.usage().totalTokens()).isEqualTo(4);
				assertThat(response.vectors()).containsExactly(FIRST, SECOND);
			})
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void base64VectorsAreDecodedToTheSameFloats() throws Exception {
		this.server.enqueueJson(200, answer("\"" + EmbeddingVectorDeserializer.base64(FIRST) + "\"",
				"\"" + EmbeddingVectorDeserializer.base64(SECOND) + "\""));
		KlusterEmbeddingClient client = client(new EmbeddingDefaults(MODEL, EncodingFormat.BASE64), TIMEOUT,
				KlusterRetry.none());
		StepVerifier.create(client.embedAll(List.of("a", "b")))
			.assertNext((vectors) -> assertThat(vectors).containsExactly(FIRST, SECOND))
			.expectComplete()
			.verify(TIMEOUT);
		JsonNode body = this.jsonMapper.readTree(this.server.takeRequest().getBody().utf8());
		assertThat(body.get("encoding_format").asString()).isEqualTo("base64");
		assertThat(body.get("input").size()).isEqualTo(2);
	}

	@Test
	void vectorsFollowTheOrderOfTheInputsWhateverTheOrderOfTheAnswer() {
		this.server.enqueueJson(200, "{\"object\":\"list\",\"model\":\"" + MODEL + "\",\"data\":["
				+ "{\"object\":\"embedding\",\"index\":1,\"embedding\":[-1.5,0.125,3.0]},"
				+ "{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.25,-0.5,1.0]}],"
				+ "\"usage\":{\"prompt_tokens\":2,\"total_tokens\":2}}");
		StepVerifier.create(client().embedAll(List.of("a", "b")))
			.assertNext((vectors) -> assertThat(vectors).containsExactly(FIRST, SECOND))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void requestThatBreaksTheRulesIsNotSent() {
		EmbeddingRequest request = EmbeddingRequest.builder().input("a", "").dimensions(256).build();
		StepVerifier.create(client(EmbeddingDefaults.NONE, TIMEOUT, KlusterRetry.none()).embed(request))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(KlusterValidationException.class,
					(validation) -> assertThat(validation.paths()).containsExactly("dimensions", "model", "input[1]")))
			.verify(TIMEOUT);
		assertThat(this.server.requestCount()).isZero();
	}

	@Test
	void errorAnswerBecomesTheTypedExceptionWithTheServersMessage() {
		this.server.enqueueJson(400, "{\"error\":{\"message\":\"model is not an embedding model\","
				+ "\"type\":\"invalid_request_error\",\"param\":\"model\",\"code\":null}}");
		StepVerifier.create(client().embed("Hello"))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(KlusterBadRequestException.class)
				.hasMessageContaining("model is not an embedding model"))
			.verify(TIMEOUT);
	}

	@Test
	void serverErrorIsRetriedLikeAChat() {
		this.server.enqueueJson(503, "{\"error\":{\"message\":\"overloaded\"}}");
		this.server.enqueueJson(200, answer("[0.25,-0.5,1.0]", null));
		KlusterRetry retry = KlusterRetry.of(2, Duration.ofMillis(1), Duration.ofMillis(1), 0);
		StepVerifier.create(client(EmbeddingDefaults.model(MODEL), TIMEOUT, retry).embed("Hello"))
			.assertNext((vector) -> assertThat(vector).containsExactly(FIRST))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.server.requestCount()).isEqualTo(2);
	}

	@Test
	void answerSlowerThanTheResponseTimeoutFailsNamingTheLimit() {
		this.server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
		StepVerifier
			.create(client(EmbeddingDefaults.model(MODEL), Duration.ofMillis(200), KlusterRetry.none()).embed("Hi"))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(KlusterTimeoutException.class,
					(timeout) -> assertThat(timeout.limit()).isEqualTo("kluster.response-timeout")))
			.verify(TIMEOUT);
	}

	@Test
	void answerWithABrokenBase64VectorFailsAsAnInvalidAnswer() {
		this.server.enqueueJson(200, answer("\"AAAA!\"", null));
		StepVerifier.create(client().embed("Hello"))
			.expectErrorSatisfies((ex) -> assertThat(ex)
				.isInstanceOf(KlusterInvalidResponseException.class)
				.hasMessageContaining("a list of embeddings"))
			.verify(TIMEOUT);
	}

	@Test
	void responseWithoutEmbeddingsHasNoVector() {
		EmbeddingResponse empty = new EmbeddingResponse("list", null, MODEL, null);
		assertThat(empty.vectors()).isEmpty();
		assertThatIllegalStateException().isThrownBy(empty::vector);
	}

}
