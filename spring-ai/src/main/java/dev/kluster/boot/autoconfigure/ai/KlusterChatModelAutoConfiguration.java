package dev.kluster.boot.autoconfigure.ai;

import dev.kluster.boot.ai.KlusterChatModel;
import dev.kluster.boot.autoconfigure.KlusterAutoConfiguration;
import dev.kluster.boot.client.KlusterChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.model.SpringAIModelProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} of kluster.ai as Spring AI's chat model: a
 * {@link KlusterChatModel} on the auto-configured {@link KlusterChatClient}. As Spring AI's
 * own providers, it is selected by {@code spring.ai.model.chat} ({@code kluster}) and
 * active when that property is not set.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = KlusterAutoConfiguration.class)
@ConditionalOnClass(ChatModel.class)
@ConditionalOnBean(KlusterChatClient.class)
@ConditionalOnProperty(name = SpringAIModelProperties.CHAT_MODEL, havingValue = "kluster", matchIfMissing = true)
public final class KlusterChatModelAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	KlusterChatModel klusterChatModel(KlusterChatClient klusterChatClient) {
		return KlusterChatModel.builder(klusterChatClient).build();
	}

}
