package dev.kluster.boot.autoconfigure;

import dev.kluster.boot.client.KlusterChatClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} of the {@code kluster} health indicator.
 * It is opt-in, with {@code kluster.health.enabled=true}, because each probe that misses
 * the cache is a call to kluster.ai; Boot's own switches
 * ({@code management.health.kluster.enabled}, {@code management.health.defaults.enabled})
 * can still turn it off.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = KlusterAutoConfiguration.class,
		beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass({ ReactiveHealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(KlusterChatClient.class)
@ConditionalOnBooleanProperty("kluster.health.enabled")
@ConditionalOnEnabledHealthIndicator("kluster")
@EnableConfigurationProperties(KlusterProperties.class)
public final class KlusterHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "klusterHealthIndicator", "klusterHealthContributor" })
	KlusterHealthIndicator klusterHealthIndicator(KlusterChatClient client, KlusterProperties properties) {
		KlusterProperties.Health health = properties.getHealth();
		return new KlusterHealthIndicator(client, health.getCacheTtl(), health.getTimeout());
	}

}
