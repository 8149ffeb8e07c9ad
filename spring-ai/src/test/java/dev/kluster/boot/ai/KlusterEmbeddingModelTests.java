package dev.kluster.boot.ai;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import dev.kluster.boot.autoconfigure.KlusterAutoConfiguration;
import dev.kluster.boot.autoconfigure.ai.KlusterEmbeddingModelAutoConfiguration;
import dev.kluster.boot.client.KlusterEmbeddingClient;
import dev.kluster.boot.model.EmbeddingResponse.EmbeddingUsage;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.test.KlusterStandInExtension;
import dev.kluster.boot.validation.KlusterValidationException;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link KlusterEmbeddingModel} in an application with Spring AI and the starter, against
 * the stand-in, whose vectors are a function of each text: what goes on the wire, and
 * what comes back in Spring AI's types.
 */
class KlusterEmbeddingModelTests {

	private static final String MODEL = "test-embedding-model";

	/** The size of the stand-in's vectors when a request does not set {@code dimensions}. */
	private static final int STAND_IN_DIMENSIONS = 8;

	@RegisterExtension
	static final KlusterStandInExtension standInExtension = new KlusterStandInExtension();

	private ApplicationContextRunner contextRunner(KlusterStandIn standIn) {
		return contextRunnerWithoutModel(standIn).withPropertyValues("kluster.embedding.model=" + MODEL);
	}

	private ApplicationContextRunner contextRunnerWithoutModel(KlusterStandIn standIn) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
					WebClientAutoConfiguration.class, KlusterAutoConfiguration.class,
					KlusterEmbeddingModelAutoConfiguration.class))
			.withPropertyValues("kluster.api-key=test-key", "kluster.base-url=" + standIn.baseUrl(),
					"kluster.warm-up.enabled=false");
	}

	private static JsonNode sent(KlusterStandIn standIn) {
		return standIn.lastRequest().json();
	}

	@Test
	void embedsOneTextWithTheConfiguredModel(KlusterStandIn standIn) {
		contextRunner(standIn).run((context) -> {
			EmbeddingModel model = context.getBean(EmbeddingModel.class);
			float[] vector = model.embed("The quick brown fox");
			assertThat(vector).hasSize(STAND_IN_DIMENSIONS);
			assertThat(model.embed("The quick brown fox")).containsExactly(vector);
			assertThat(model.embed("A lazy dog")).isNotEqualTo(vector);
		});
		assertThat(standIn.lastRequest().path()).endsWith("/embeddings");
		assertThat(sent(standIn).get("model").asString()).isEqualTo(MODEL);
		assertThat(sent(standIn).has("dimensions")).isFalse();
	}

	@Test
	void embedForResponseHasOneEmbeddingPerTextInOrderAndTheUsage(KlusterStandIn standIn) {
		contextRunner(standIn).run((context) -> {
			EmbeddingModel model = context.getBean(EmbeddingModel.class);
			EmbeddingResponse response = model.embedForResponse(List.of("one two three", "four", "five six"));
			assertThat(response.getResults()).extracting(Embedding::getIndex).containsExactly(0, 1, 2);
			assertThat(response.getResults().get(0).getOutput()).containsExactly(model.embed("one two three"));
			assertThat(response.getResults().get(2).getOutput()).containsExactly(model.embed("five six"));
			assertThat(response.getMetadata().getModel()).isEqualTo(MODEL);
			assertThat(response.getMetadata().getUsage().getPromptTokens()).isEqualTo(6);
			assertThat(response.getMetadata().getUsage().getCompletionTokens()).isZero();
			assertThat(response.getMetadata().getUsage().getTotalTokens()).isEqualTo(6);
			assertThat(response.getMetadata().getUsage().getNativeUsage()).isEqualTo(new EmbeddingUsage(6, 6));
		});
	}

	@Test
	void requestOptionsGoOnTheWire(KlusterStandIn standIn) {
		standIn.accept("embeddings.dimensions");
		contextRunner(standIn).withPropertyValues("kluster.validation.allowed-parameters=embeddings.dimensions")
			.run((context) -> {
				EmbeddingModel model = context.getBean(EmbeddingModel.class);
				EmbeddingResponse response = model.call(new EmbeddingRequest(List.of("a text", "another"),
						EmbeddingOptions.builder().model("other-embedding-model").dimensions(4).build()));
				assertThat(response.getResults()).hasSize(2)
					.allSatisfy((embedding) -> assertThat(embedding.getOutput()).hasSize(4));
				assertThat(response.getMetadata().getModel()).isEqualTo("other-embedding-model");
			});
		assertThat(sent(standIn).get("model").asString()).isEqualTo("other-embedding-model");
		assertThat(sent(standIn).get("dimensions").asInt()).isEqualTo(4);
		assertThat(sent(standIn).at("/input/1").asString()).isEqualTo("another");
	}

	@Test
	void defaultOptionsApplyWhereTheRequestSetsNone(KlusterStandIn standIn) {
		standIn.accept("embeddings.dimensions");
		contextRunner(standIn).withPropertyValues("kluster.validation.allowed-parameters=embeddings.dimensions")
			.withUserConfiguration(ModelWithDefaultOptions.class)
			.run((context) -> {
				KlusterEmbeddingModel model = context.getBean(KlusterEmbeddingModel.class);
				int before = standIn.requestCount();
				assertThat(model.dimensions()).isEqualTo(3);
				assertThat(standIn.requestCount()).isEqualTo(before);
				model.call(new EmbeddingRequest(List.of("a text"), EmbeddingOptions.builder().dimensions(5).build()));
				assertThat(sent(standIn).get("model").asString()).isEqualTo("default-embedding-model");
				assertThat(sent(standIn).get("dimensions").asInt()).isEqualTo(5);
				assertThat(model.embed("a text")).hasSize(3);
			});
	}

	@Test
	void dimensionsAreTheLengthOfAVectorAskedForOnce(KlusterStandIn standIn) {
		contextRunner(standIn).run((context) -> {
			EmbeddingModel model = context.getBean(EmbeddingModel.class);
			int before = standIn.requestCount();
			assertThat(model.dimensions()).isEqualTo(STAND_IN_DIMENSIONS);
			assertThat(model.dimensions()).isEqualTo(STAND_IN_DIMENSIONS);
			assertThat(standIn.requestCount()).isEqualTo(before + 1);
		});
	}

	@Test
	void documentsAreEmbeddedWithTheirEmbedMetadata(KlusterStandIn standIn) {
		Document document = Document.builder().text("The quick brown fox").metadata("source", "manual").build();
		contextRunner(standIn).run((context) -> {
			KlusterEmbeddingModel model = context.getBean(KlusterEmbeddingModel.class);
			assertThat(model.embed(document)).containsExactly(model.embed(model.getEmbeddingContent(document)));
		});
		assertThat(sent(standIn).at("/input/0").asString()).contains("The quick brown fox").contains("manual");
		assertThat(document.getFormattedContent(MetadataMode.EMBED)).contains("manual");
	}

	@Test
	void requestsThatBreakKlusterAisRulesAreRefusedBeforeTheWire(KlusterStandIn standIn) {
		contextRunner(standIn).run((context) -> {
			EmbeddingModel model = context.getBean(EmbeddingModel.class);
			int before = standIn.requestCount();
			assertThatExceptionOfType(KlusterValidationException.class)
				.isThrownBy(() -> model.call(new EmbeddingRequest(List.of("a text"),
						EmbeddingOptions.builder().dimensions(256).build())))
				.satisfies((ex) -> assertThat(ex.paths()).contains("dimensions"));
			assertThatExceptionOfType(KlusterValidationException.class)
				.isThrownBy(() -> model.embedForResponse(List.of()))
				.satisfies((ex) -> assertThat(ex.paths()).contains("input"));
			assertThat(standIn.requestCount()).isEqualTo(before);
		});
	}

	@Test
	void aRequestWithoutAModelIsRefusedWhenNoneIsConfigured(KlusterStandIn standIn) {
		contextRunnerWithoutModel(standIn).run((context) -> {
			int before = standIn.requestCount();
			assertThatExceptionOfType(KlusterValidationException.class)
				.isThrownBy(() -> context.getBean(EmbeddingModel.class).embed("a text"))
				.withMessageContaining("model");
			assertThat(standIn.requestCount()).isEqualTo(before);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ModelWithDefaultOptions {

		@Bean
		KlusterEmbeddingModel klusterEmbeddingModel(KlusterEmbeddingClient client) {
			return KlusterEmbeddingModel.builder(client)
				.defaultOptions(EmbeddingOptions.builder().model("default-embedding-model").dimensions(3).build())
				.build();
		}

	}

}
