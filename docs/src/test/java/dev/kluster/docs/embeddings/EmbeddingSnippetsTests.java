package dev.kluster.docs.embeddings;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import dev.kluster.boot.client.KlusterEmbeddingClient;
import dev.kluster.boot.test.AutoConfigureKlusterStandIn;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.validation.KlusterValidationException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Runs embeddings.md's snippets against the stand-in.
 */
@SpringBootTest(classes = EmbeddingSnippetsTests.Application.class,
		webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "kluster.embedding.model=test/embedding-model")
@AutoConfigureKlusterStandIn
class EmbeddingSnippetsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Autowired
	KlusterStandIn standIn;

	@Autowired
	KlusterEmbeddingClient embeddings;

	@Autowired
	SimilarityService similarity;

	@Test
	void oneTextIsEmbeddedWithTheConfiguredModel() {
		StepVerifier.create(new EmbeddingSnippets(this.embeddings).oneText())
			.assertNext((vector) -> assertThat(vector).isNotEmpty())
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.standIn.lastRequest().json().path("model").asString()).isEqualTo("test/embedding-model");
	}

	@Test
	void requestWithBase64VectorsGivesOneFloatVectorPerInput() {
		StepVerifier.create(new EmbeddingSnippets(this.embeddings).request())
			.assertNext((vectors) -> assertThat(vectors).hasSize(2).allSatisfy((vector) -> assertThat(vector).hasSize(8)))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.standIn.lastRequest().json().path("encoding_format").asString()).isEqualTo("base64");
	}

	@Test
	void dimensionsAreRefusedBeforeTheWire() {
		StepVerifier.create(new EmbeddingSnippets(this.embeddings).refused())
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(KlusterValidationException.class,
					(validation) -> assertThat(validation.paths()).containsExactly("dimensions")))
			.verify(TIMEOUT);
		assertThat(this.standIn.requestCount()).isZero();
	}

	@Test
	void sameTextIsSimilarToItselfAndLessToAnother() {
		StepVerifier.create(this.similarity.similarity("A cat sleeps", "A cat sleeps"))
			.assertNext((value) -> assertThat(value).isCloseTo(1.0, within(1e-6)))
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.similarity.similarity("A cat sleeps", "Stock markets fell"))
			.assertNext((value) -> assertThat(value).isLessThan(0.99))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(SimilarityService.class)
	static class Application {

	}

}
