package dev.kluster.boot.batch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.client.ChatDefaults;
import dev.kluster.boot.client.EmbeddingDefaults;
import dev.kluster.boot.model.Batch;
import dev.kluster.boot.model.BatchOptions;
import dev.kluster.boot.model.BatchRequest;
import dev.kluster.boot.model.BatchResult;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.EmbeddingRequest;
import dev.kluster.boot.model.EncodingFormat;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.test.KlusterStandInExtension;
import dev.kluster.boot.transport.KlusterConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for batches of embeddings ({@code /v1/embeddings} lines) of
 * {@link DefaultKlusterBatchClient} against the kluster.ai stand-in.
 */
class DefaultKlusterBatchClientEmbeddingTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final String EMBEDDING_MODEL = "test/embedding-model";

	@RegisterExtension
	static final KlusterStandInExtension standInExtension = new KlusterStandInExtension();

	private final JsonMapper jsonMapper = JsonMapper.shared();

	private KlusterStandIn standIn;

	private KlusterBatchClient client;

	@BeforeEach
	void createClient(KlusterStandIn standIn) {
		this.standIn = standIn;
		KlusterConnection connection = KlusterConnection.builder()
			.apiKey("sk-test")
			.baseUrl(standIn.baseUrl())
			.jsonMapper(this.jsonMapper)
			.build();
		this.client = DefaultKlusterBatchClient.builder(connection)
			.defaults(ChatDefaults.defaults())
			.embeddingDefaults(new EmbeddingDefaults(EMBEDDING_MODEL, EncodingFormat.BASE64))
			.settings(KlusterBatchSettings.defaults().withPolling(Duration.ofMillis(5), Duration.ofMillis(40), 2))
			.build();
	}

	private static BatchRequest embedding(String customId, String text) {
		return BatchRequest.of(customId, EmbeddingRequest.of(text));
	}

	@Test
	void embeddingLinesAreWrittenWithTheEmbeddingDefaults() {
		this.client.upload(Flux.just(embedding("a", "first"))).block(TIMEOUT);
		List<JsonNode> lines = this.standIn.files().get(0).lines().stream().map(this.jsonMapper::readTree).toList();
		assertThat(lines).singleElement().satisfies((line) -> {
			assertThat(line.path("custom_id").asString()).isEqualTo("a");
			assertThat(line.path("method").asString()).isEqualTo("POST");
			assertThat(line.path("url").asString()).isEqualTo("/v1/embeddings");
			assertThat(line.path("body").path("model").asString()).isEqualTo(EMBEDDING_MODEL);
			assertThat(line.path("body").path("input").asString()).isEqualTo("first");
			assertThat(line.path("body").path("encoding_format").asString()).isEqualTo("base64");
			assertThat(line.has("embedding_body")).isFalse();
		});
	}

	@Test
	void aBatchOfEmbeddingsRunsOnTheEmbeddingsEndpointAndGivesTheirVectors() {
		List<BatchResult> results = this.client
			.run(Flux.just(embedding("a", "a cat"), embedding("b", "a dog"), embedding("c", "a cat")))
			.collectList()
			.block(TIMEOUT);
		assertThat(results).hasSize(3).allSatisfy((result) -> {
			assertThat(result.isSuccess()).isTrue();
			assertThat(result.completion()).isNull();
			assertThat(result.embeddings().model()).isEqualTo(EMBEDDING_MODEL);
		});
		Map<String, BatchResult> byId = results.stream()
			.collect(Collectors.toMap(BatchResult::customId, Function.identity()));
		float[] cat = byId.get("a").embeddings().vector();
		assertThat(cat).hasSize(8);
		assertThat(byId.get("c").embeddings().vector()).containsExactly(cat);
		assertThat(byId.get("b").embeddings().vector()).isNotEqualTo(cat);
		Batch batch = this.client.retrieve(this.standIn.batchIds().get(0)).block(TIMEOUT);
		assertThat(batch.endpoint()).isEqualTo("/v1/embeddings");
	}

	@Test
	void chatAndEmbeddingRequestsDoNotMixInOneBatch() {
		BatchRequest chat = BatchRequest.of("c", ChatCompletionRequest.builder().message(ChatMessage.user("hi")).build());
		StepVerifier.create(this.client.submit(Flux.just(embedding("e", "hi"), chat), BatchOptions.DEFAULTS))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(KlusterBatchValidationException.class)
				.hasMessageContaining("request 'c' (line 2)")
				.hasMessageContaining("url must be the batch's endpoint /v1/embeddings, was /v1/chat/completions"))
			.verify(TIMEOUT);
		assertThat(this.standIn.files()).isEmpty();
	}

	@Test
	void anEmbeddingLineThatBreaksTheRulesStopsTheUpload() {
		BatchRequest withDimensions = BatchRequest.of("d",
				EmbeddingRequest.builder().input("hi").dimensions(16).build());
		StepVerifier.create(this.client.upload(Flux.just(withDimensions)))
			.expectErrorSatisfies((ex) -> assertThat(((KlusterBatchValidationException) ex).paths())
				.containsExactly("body.dimensions"))
			.verify(TIMEOUT);
		assertThat(this.standIn.files()).isEmpty();
	}

	@Test
	void aFileOfEmbeddingsUploadedBeforeIsCreatedWithTheEndpointOfTheOptions() {
		String fileId = this.client.upload(Flux.just(embedding("a", "first"))).block(TIMEOUT).id();
		Batch batch = this.client.create(fileId, BatchOptions.DEFAULTS.endpoint(BatchRequest.EMBEDDINGS))
			.block(TIMEOUT);
		assertThat(batch.endpoint()).isEqualTo("/v1/embeddings");
		assertThat(this.standIn.lastRequest().json().path("endpoint").asString()).isEqualTo("/v1/embeddings");
	}

}
