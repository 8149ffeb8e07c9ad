package dev.kluster.boot.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.batch.DefaultKlusterBatchClient;
import dev.kluster.boot.batch.KlusterBatchClient;
import dev.kluster.boot.client.DefaultKlusterChatClient;
import dev.kluster.boot.transport.HttpErrorMapper;
import dev.kluster.boot.transport.KlusterAuthorizationConnector;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.transport.KlusterConcurrencyLimit;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.error.KlusterRedaction;
import dev.kluster.boot.error.KlusterResponseTooLargeException;
import dev.kluster.boot.transport.KlusterWebClientCustomizer;
import dev.kluster.boot.observation.DefaultKlusterChatObservationConvention;
import dev.kluster.boot.observation.KlusterBatchObservationConvention;
import dev.kluster.boot.observation.KlusterChatObservationConvention;
import dev.kluster.boot.observation.KlusterObservations;
import dev.kluster.boot.observation.KlusterValidationRejections;
import dev.kluster.boot.validation.KlusterRequestValidator;
import dev.kluster.boot.validation.RequestValidator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * {@link AutoConfiguration Auto-configuration} of the kluster.ai {@link KlusterChatClient}
 * and {@link KlusterBatchClient}, which share one {@link KlusterConnection}.
 * The client's {@code WebClient} is cloned from Boot's {@link WebClient.Builder}, so the
 * application's {@code WebClient} customizations, connector and observation apply to it;
 * chat bodies are written and read with the {@link JsonMapper}, not the codecs.
 * <p>
 * Calls are observed through the application's {@link ObservationRegistry} when there is
 * one, with the application's {@link KlusterChatObservationConvention} and
 * {@link KlusterBatchObservationConvention} beans when there are; without a registry they
 * are not observed at all. The observation settings are part of the connection, so that
 * clients the application builds on it are observed too.
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

	private static final Log logger = LogFactory.getLog(KlusterAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	RequestValidator klusterRequestValidator(KlusterProperties properties) {
		return new KlusterRequestValidator(properties.getValidation().toPolicy());
	}

	@Bean
	@ConditionalOnMissingBean
	KlusterObservations klusterObservations(KlusterProperties properties,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<KlusterChatObservationConvention> chatObservationConvention,
			ObjectProvider<KlusterBatchObservationConvention> batchObservationConvention,
			ObjectProvider<KlusterValidationRejections> validationRejections) {
		KlusterProperties.Observations observations = properties.getObservations();
		if (observations.getMaxModelTags() < 0) {
			throw new InvalidConfigurationPropertyValueException("kluster.observations.max-model-tags",
					observations.getMaxModelTags(), "it must not be negative");
		}
		if (observations.isIncludeContent()) {
			logger.warn("kluster.observations.include-content is on: prompts and completions of kluster.ai calls "
					+ "are recorded on trace spans (gen_ai.input.messages, gen_ai.output.messages). They may contain "
					+ "personal or confidential data; turn this off where the tracing backend is not cleared for it.");
		}
		// The server keys are taken from the connection's base URL when it is made.
		return KlusterObservations.of(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP))
			.withChatConvention(chatObservationConvention.getIfUnique())
			.withDefaultChatConvention(new DefaultKlusterChatObservationConvention(observations.getMaxModelTags()))
			.withBatchConvention(batchObservationConvention.getIfUnique())
			.withContentRecorded(observations.isIncludeContent())
			.withValidationRejections(validationRejections.getIfUnique());
	}

	@Bean
	@ConditionalOnMissingBean
	KlusterConnection klusterConnection(KlusterProperties properties, ObjectProvider<WebClient.Builder> webClientBuilder,
			ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<KlusterWebClientCustomizer> customizers,
			ObjectProvider<ClientHttpConnector> connector, ObjectProvider<ClientHttpConnectorBuilder<?>> connectorBuilder,
			ObjectProvider<HttpClientSettings> httpClientSettings,
			ObjectProvider<KlusterConcurrencyLimit> concurrencyLimit, KlusterObservations observations) {
		String apiKey = properties.getApiKey();
		if (!StringUtils.hasText(apiKey)) {
			throw new KlusterApiKeyMissingException();
		}
		String baseUrl = KlusterBaseUrl.check(properties.getBaseUrl());
		KlusterBaseUrl.checkTransport(baseUrl, properties.isAllowInsecureBaseUrl());
		int maxInMemorySize = maxInMemorySize(properties);
		JsonMapper mapper = jsonMapper.getIfAvailable(JsonMapper::shared);
		// Built on the first call: Boot's WebClient.Builder brings its HTTP connector, whose
		// transport (event loops, native libraries) an application should not start for a
		// client it has not used yet, as Boot's own connector bean is lazy for that reason.
		Supplier<WebClient> webClient = () -> webClient(properties, apiKey, baseUrl, maxInMemorySize,
				webClientBuilder, customizers, connector, connectorBuilder, httpClientSettings, concurrencyLimit);
		// Server text that goes into exceptions is redacted of this key: a server may echo it.
		HttpErrorMapper errorMapper = new HttpErrorMapper(mapper, Clock.systemUTC(), KlusterRedaction.of(apiKey));
		// On the connection, so that every client built on it is observed, the application's
		// own included.
		return new KlusterConnection(webClient, mapper, errorMapper, baseUrl, maxInMemorySize, observations);
	}

	private static WebClient webClient(KlusterProperties properties, String apiKey, String baseUrl, int maxInMemorySize,
			ObjectProvider<WebClient.Builder> webClientBuilder, ObjectProvider<KlusterWebClientCustomizer> customizers,
			ObjectProvider<ClientHttpConnector> connector, ObjectProvider<ClientHttpConnectorBuilder<?>> connectorBuilder,
			ObjectProvider<HttpClientSettings> httpClientSettings,
			ObjectProvider<KlusterConcurrencyLimit> concurrencyLimit) {
		// Boot's builder is a prototype bean; clone() keeps this client's settings out of any
		// builder the application holds on to.
		WebClient.Builder builder = webClientBuilder.getIfAvailable(WebClient::builder)
			.clone()
			.baseUrl(baseUrl)
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(maxInMemorySize))
			.defaultHeaders((headers) -> headers.set(HttpHeaders.USER_AGENT, USER_AGENT));
		// First filter, so the outermost: the slot covers whatever the customizers add.
		concurrencyLimit.ifAvailable(builder::filter);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		// Set after the customizers, so that the key is always added below Spring's logging
		// and only for kluster.ai's own origin.
		builder.clientConnector(new KlusterAuthorizationConnector(
				connector(properties, connector, connectorBuilder, httpClientSettings), apiKey, baseUrl,
				properties.isFollowCrossOriginRedirects()));
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty("kluster.max-concurrent-requests")
	KlusterConcurrencyLimit klusterConcurrencyLimit(KlusterProperties properties) {
		Integer maxConcurrentRequests = properties.getMaxConcurrentRequests();
		Duration maxQueueWait = properties.getMaxQueueWait();
		if (maxConcurrentRequests == null || maxConcurrentRequests < 1) {
			throw new InvalidConfigurationPropertyValueException("kluster.max-concurrent-requests",
					maxConcurrentRequests, "it must be at least 1; leave it unset for no limit");
		}
		if (maxQueueWait != null && maxQueueWait.isNegative()) {
			throw new InvalidConfigurationPropertyValueException("kluster.max-queue-wait", maxQueueWait,
					"it must not be negative");
		}
		return new KlusterConcurrencyLimit(maxConcurrentRequests, maxQueueWait);
	}

	private static int maxInMemorySize(KlusterProperties properties) {
		long bytes = properties.getMaxResponseSize().toBytes();
		if (bytes <= 0 || bytes > Integer.MAX_VALUE) {
			throw new InvalidConfigurationPropertyValueException(KlusterResponseTooLargeException.PROPERTY,
					properties.getMaxResponseSize(), "it must be between 1 byte and 2 GB");
		}
		return (int) bytes;
	}

	// The application's connector unless kluster.connect-timeout asks for one of its own,
	// which is then built with the application's HTTP client settings and that timeout.
	private static ClientHttpConnector connector(KlusterProperties properties,
			ObjectProvider<ClientHttpConnector> connector, ObjectProvider<ClientHttpConnectorBuilder<?>> connectorBuilder,
			ObjectProvider<HttpClientSettings> httpClientSettings) {
		Duration connectTimeout = properties.getConnectTimeout();
		if (connectTimeout == null) {
			ClientHttpConnector shared = connector.getIfUnique();
			if (shared != null) {
				return shared;
			}
		}
		HttpClientSettings settings = httpClientSettings.getIfAvailable(HttpClientSettings::defaults);
		if (connectTimeout != null) {
			settings = settings.withConnectTimeout(connectTimeout);
		}
		return connectorBuilder.getIfAvailable(ClientHttpConnectorBuilder::detect).build(settings);
	}

	@Bean
	@ConditionalOnMissingBean
	KlusterChatClient klusterChatClient(KlusterConnection connection, KlusterProperties properties,
			RequestValidator requestValidator) {
		return new DefaultKlusterChatClient(connection, requestValidator, properties.getChat().toDefaults(),
				properties.toTimeouts(), properties.getRetry().toRetry());
	}

	@Bean
	@ConditionalOnMissingBean
	KlusterBatchClient klusterBatchClient(KlusterConnection connection, KlusterProperties properties,
			RequestValidator requestValidator) {
		return new DefaultKlusterBatchClient(connection, requestValidator, properties.getChat().toDefaults(),
				properties.getBatch().toSettings());
	}


}
