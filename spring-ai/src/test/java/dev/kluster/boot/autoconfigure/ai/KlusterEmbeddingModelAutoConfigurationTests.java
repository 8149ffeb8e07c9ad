package dev.kluster.boot.autoconfigure.ai;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.kluster.boot.ai.KlusterEmbeddingModel;
import dev.kluster.boot.autoconfigure.KlusterAutoConfiguration;
import dev.kluster.boot.client.KlusterEmbeddingClient;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.test.KlusterStandInExtension;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link KlusterEmbeddingModelAutoConfiguration}: which applications get a
 * {@link KlusterEmbeddingModel}, selected by {@code spring.ai.model.embedding}.
 */
class KlusterEmbeddingModelAutoConfigurationTests {

	@RegisterExtension
	static final KlusterStandInExtension standInExtension = new KlusterStandInExtension();

	private ApplicationContextRunner contextRunner(KlusterStandIn standIn) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
					WebClientAutoConfiguration.class, KlusterAutoConfiguration.class,
					KlusterEmbeddingModelAutoConfiguration.class))
			.withPropertyValues("kluster.api-key=test-key", "kluster.base-url=" + standIn.baseUrl(),
					"kluster.warm-up.enabled=false", "kluster.embedding.model=test-embedding-model");
	}

	@Test
	void selectedKlusterEmbeddingModelEmbedsThroughTheStarter(KlusterStandIn standIn) {
		contextRunner(standIn).withPropertyValues("spring.ai.model.embedding=kluster").run((context) -> {
			assertThat(context).hasSingleBean(EmbeddingModel.class).hasSingleBean(KlusterEmbeddingModel.class);
			assertThat(context.getBean(EmbeddingModel.class).embed("The quick brown fox")).isNotEmpty();
		});
		assertThat(standIn.lastRequest().header("Authorization")).isEqualTo("Bearer test-key");
		assertThat(standIn.lastRequest().json().get("model").asString()).isEqualTo("test-embedding-model");
	}

	@Test
	void klusterEmbeddingModelWhenNoEmbeddingModelIsSelected(KlusterStandIn standIn) {
		contextRunner(standIn).run((context) -> assertThat(context).hasSingleBean(KlusterEmbeddingModel.class));
	}

	@Test
	void noKlusterEmbeddingModelWhenAnotherEmbeddingModelIsSelected(KlusterStandIn standIn) {
		contextRunner(standIn).withPropertyValues("spring.ai.model.embedding=openai")
			.run((context) -> assertThat(context).doesNotHaveBean(KlusterEmbeddingModel.class)
				.hasSingleBean(KlusterEmbeddingClient.class));
	}

	@Test
	void noKlusterEmbeddingModelWhenEmbeddingModelsAreTurnedOff(KlusterStandIn standIn) {
		contextRunner(standIn).withPropertyValues("spring.ai.model.embedding=none")
			.run((context) -> assertThat(context).doesNotHaveBean(EmbeddingModel.class));
	}

	@Test
	void chatModelSelectionDoesNotTurnTheEmbeddingModelOff(KlusterStandIn standIn) {
		contextRunner(standIn).withPropertyValues("spring.ai.model.chat=openai")
			.run((context) -> assertThat(context).hasSingleBean(KlusterEmbeddingModel.class));
	}

	@Test
	void noKlusterEmbeddingModelWhenTheStarterIsTurnedOff(KlusterStandIn standIn) {
		contextRunner(standIn).withPropertyValues("kluster.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(KlusterEmbeddingModel.class));
	}

	@Test
	void noKlusterEmbeddingModelWithoutSpringAi(KlusterStandIn standIn) {
		contextRunner(standIn).withClassLoader(new FilteredClassLoader(EmbeddingModel.class))
			.run((context) -> assertThat(context).doesNotHaveBean(KlusterEmbeddingModel.class)
				.hasSingleBean(KlusterEmbeddingClient.class));
	}

	@Test
	void applicationsOwnKlusterEmbeddingModelIsKept(KlusterStandIn standIn) {
		contextRunner(standIn).withUserConfiguration(OwnEmbeddingModel.class)
			.run((context) -> assertThat(context).getBean(KlusterEmbeddingModel.class)
				.isSameAs(context.getBean("ownEmbeddingModel")));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnEmbeddingModel {

		@Bean
		KlusterEmbeddingModel ownEmbeddingModel(KlusterEmbeddingClient client) {
			return KlusterEmbeddingModel.builder(client).build();
		}

	}

}
