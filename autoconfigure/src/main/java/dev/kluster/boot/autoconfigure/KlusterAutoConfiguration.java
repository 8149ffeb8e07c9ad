package dev.kluster.boot.autoconfigure;

import java.time.Clock;

import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.client.DefaultKlusterChatClient;
import dev.kluster.boot.client.HttpErrorMapper;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.client.KlusterWebClientCustomizer;
import dev.kluster.boot.validation.KlusterRequestValidator;
import dev.kluster.boot.validation.RequestValidator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * {@link AutoConfiguration Auto-configuration} of the kluster.ai {@link KlusterChatClient}.
 * The client's {@code WebClient} is built from Boot's {@link WebClient.Builder}, so the
 * application's codecs, connector settings and observation apply to it.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = WebClientAutoConfiguration.class,
		afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(WebClient.class)
@ConditionalOnBooleanProperty(name = "kluster.enabled", matchIfMissing = true)
@EnableConfigurationProperties(KlusterProperties.class)
public final class KlusterAutoConfiguration {

	static final String USER_AGENT = "kluster-spring-boot";

	@Bean
	@ConditionalOnMissingBean
	RequestValidator klusterRequestValidator(KlusterProperties properties) {
		return new KlusterRequestValidator(properties.getValidation().toPolicy());
	}

	@Bean
	@ConditionalOnMissingBean
	KlusterChatClient klusterChatClient(KlusterProperties properties, RequestValidator requestValidator,
			ObjectProvider<WebClient.Builder> webClientBuilder, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<KlusterWebClientCustomizer> customizers) {
		String apiKey = properties.getApiKey();
		if (!StringUtils.hasText(apiKey)) {
			throw new KlusterApiKeyMissingException();
		}
		String baseUrl = KlusterBaseUrl.check(properties.getBaseUrl());
		// Boot's builder is a prototype bean; clone() keeps this client's settings out of any
		// builder the application holds on to.
		WebClient.Builder builder = webClientBuilder.getIfAvailable(WebClient::builder)
			.clone()
			.baseUrl(baseUrl)
			.defaultHeaders((headers) -> {
				headers.setBearerAuth(apiKey);
				headers.set(HttpHeaders.USER_AGENT, USER_AGENT);
			});
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		JsonMapper mapper = jsonMapper.getIfAvailable(JsonMapper::shared);
		return new DefaultKlusterChatClient(builder.build(), mapper, requestValidator,
				properties.getChat().toDefaults(), properties.getResponseTimeout(),
				new HttpErrorMapper(mapper, Clock.systemUTC()));
	}

}
