package dev.kluster.boot.autoconfigure.ai;

import dev.kluster.boot.ai.KlusterEmbeddingModel;
import dev.kluster.boot.autoconfigure.KlusterAutoConfiguration;
import dev.kluster.boot.client.KlusterEmbeddingClient;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.model.SpringAIModelProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} of kluster.ai as Spring AI's embedding
 * model: a {@link KlusterEmbeddingModel} on the auto-configured
 * {@link KlusterEmbeddingClient}. As Spring AI's own providers, it is selected by
 * {@code spring.ai.model.embedding} ({@code kluster}) and active when that property is
 * not set.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = KlusterAutoConfiguration.class)
@ConditionalOnClass(EmbeddingModel.class)
@ConditionalOnBean(KlusterEmbeddingClient.class)
@ConditionalOnProperty(name = SpringAIModelProperties.EMBEDDING_MODEL, havingValue = "kluster",
		matchIfMissing = true)
public final class KlusterEmbeddingModelAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	KlusterEmbeddingModel klusterEmbeddingModel(KlusterEmbeddingClient klusterEmbeddingClient) {
		return KlusterEmbeddingModel.builder(klusterEmbeddingClient).build();
	}

}
