package dev.kluster.boot.autoconfigure;

import java.time.Duration;

import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.batch.DefaultKlusterBatchClient;
import dev.kluster.boot.batch.KlusterBatchClient;
import dev.kluster.boot.client.DefaultKlusterChatClient;
import dev.kluster.boot.client.DefaultKlusterEmbeddingClient;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.client.KlusterEmbeddingClient;
import dev.kluster.boot.transport.KlusterConcurrencyLimit;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterRateLimit;
import dev.kluster.boot.transport.KlusterRateLimitStore;
import dev.kluster.boot.transport.KlusterStoreFailover;
import dev.kluster.boot.transport.RedisSlots;
import dev.kluster.boot.observation.KlusterRateLimitMeters;
import dev.kluster.boot.transport.KlusterWebClientCustomizer;
import dev.kluster.boot.observation.DefaultKlusterChatObservationConvention;
import dev.kluster.boot.observation.KlusterBatchObservationConvention;
import dev.kluster.boot.observation.KlusterChatObservationConvention;
import dev.kluster.boot.observation.KlusterObservations;
import dev.kluster.boot.observation.KlusterValidationRejections;
import dev.kluster.boot.validation.EmbeddingRequestValidator;
import dev.kluster.boot.validation.KlusterEmbeddingRequestValidator;
import dev.kluster.boot.validation.KlusterRequestValidator;
import dev.kluster.boot.validation.RequestValidator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * {@link AutoConfiguration Auto-configuration} of the kluster.ai {@link KlusterChatClient},
 * {@link KlusterEmbeddingClient} and {@link KlusterBatchClient}, which share one
 * {@link KlusterConnection}.
 * The client's {@code WebClient} is cloned from Boot's {@link WebClient.Builder}, so the
 * application's {@code WebClient} customizations, connector and observation apply to it;
 * chat bodies are written and read with the {@link JsonMapper}, not the codecs.
 * <p>
 * Calls are observed through the application's {@link ObservationRegistry} when there is
 * one, with the application's {@link KlusterChatObservationConvention} and
 * {@link KlusterBatchObservationConvention} beans when there are; without a registry they
 * are not observed at all. The observation settings are part of the connection, so that
 * clients the application builds on it are observed too.
 * <p>
 * Once the application is ready, the client is warmed up in the background
 * ({@code kluster.warm-up.enabled}), so that its first call does not make what a call
 * needs: see {@link DefaultKlusterChatClient#warmUp()}.
 * <p>
 * Ahead-of-time processing registers the {@code KlusterRuntimeHints} that a native image
 * of the application needs.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = WebClientAutoConfiguration.class,
		afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(WebClient.class)
@ConditionalOnBooleanProperty(name = "kluster.enabled", matchIfMissing = true)
@EnableConfigurationProperties(KlusterProperties.class)
@ImportRuntimeHints(KlusterRuntimeHints.class)
public final class KlusterAutoConfiguration {

	private static final Log logger = LogFactory.getLog(KlusterAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	RequestValidator klusterRequestValidator(KlusterProperties properties) {
		return new KlusterRequestValidator(properties.getValidation().toPolicy());
	}

	@Bean
	@ConditionalOnMissingBean
	EmbeddingRequestValidator klusterEmbeddingRequestValidator(KlusterProperties properties) {
		return new KlusterEmbeddingRequestValidator(properties.getValidation().toPolicy());
	}

	@Bean
	@ConditionalOnMissingBean
	KlusterObservations klusterObservations(KlusterProperties properties,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<KlusterChatObservationConvention> chatObservationConvention,
			ObjectProvider<KlusterBatchObservationConvention> batchObservationConvention,
			ObjectProvider<KlusterValidationRejections> validationRejections) {
		KlusterProperties.Observations observations = properties.getObservations();
		KlusterPropertyChecks.observations(observations);
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

	// The WebClient is made on the first call, from Boot's WebClient.Builder, which brings
	// its HTTP connector: an application should not start a transport (event loops, native
	// libraries) for a client it has not used yet, as Boot's own connector bean is lazy for
	// that reason. The observations are on the connection, so that every client built on
	// it is observed, the application's own included.
	@Bean
	@ConditionalOnMissingBean
	KlusterConnection klusterConnection(KlusterProperties properties, ObjectProvider<WebClient.Builder> webClientBuilder,
			ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<KlusterWebClientCustomizer> customizers,
			ObjectProvider<ClientHttpConnector> connector, ObjectProvider<ClientHttpConnectorBuilder<?>> connectorBuilder,
			ObjectProvider<HttpClientSettings> httpClientSettings,
			ObjectProvider<KlusterConcurrencyLimit> concurrencyLimit, ObjectProvider<KlusterRateLimit> rateLimit,
			KlusterObservations observations) {
		return KlusterConnection.builder()
			.apiKey(KlusterPropertyChecks.apiKey(properties))
			.baseUrl(KlusterPropertyChecks.baseUrl(properties))
			.maxResponseSize(KlusterPropertyChecks.maxResponseSize(properties))
			.followCrossOriginRedirects(properties.isFollowCrossOriginRedirects())
			.webClientBuilder(() -> webClientBuilder.getIfAvailable(WebClient::builder))
			.concurrencyLimit(concurrencyLimit.getIfAvailable())
			.rateLimit(rateLimit.getIfAvailable())
			.webClientCustomizer((builder) -> customizers.orderedStream().forEach((each) -> each.customize(builder)))
			.connector(() -> connector(properties, connector, connectorBuilder, httpClientSettings))
			.jsonMapper(jsonMapper.getIfAvailable(JsonMapper::shared))
			.observations(observations)
			.build();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty("kluster.max-concurrent-requests")
	KlusterConcurrencyLimit klusterConcurrencyLimit(KlusterProperties properties, ObjectProvider<RedisSlots> sharedSlots,
			ObjectProvider<KlusterStoreFailover> failover) {
		RedisSlots shared = sharedSlots.getIfAvailable();
		KlusterStoreFailover sharedFailover = failover.getIfAvailable();
		KlusterPropertyChecks.sharedStore(properties.getRateLimit(), shared != null);
		return (shared != null && sharedFailover != null) ? properties.toConcurrencyLimit(shared, sharedFailover)
				: properties.toConcurrencyLimit();
	}

	// Budgets are kept in this instance unless a store is configured, such as Redis's.
	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnRateLimitBudgets.class)
	KlusterRateLimit klusterRateLimit(KlusterProperties properties, ObjectProvider<KlusterRateLimitStore> store,
			ObjectProvider<KlusterRateLimitMeters> meters) {
		KlusterRateLimit.Builder builder = properties.getRateLimit()
			.toBuilder()
			.meters(meters.getIfAvailable(() -> KlusterRateLimitMeters.NOOP));
		KlusterRateLimitStore shared = store.getIfAvailable();
		KlusterPropertyChecks.sharedStore(properties.getRateLimit(), shared != null);
		if (shared != null) {
			builder.store(shared);
		}
		return builder.build();
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
		return DefaultKlusterChatClient.builder(connection)
			.validator(requestValidator)
			.defaults(properties.getChat().toDefaults())
			.timeouts(properties.toTimeouts())
			.retry(properties.getRetry().toRetry())
			.build();
	}

	@Bean
	@ConditionalOnMissingBean
	KlusterEmbeddingClient klusterEmbeddingClient(KlusterConnection connection, KlusterProperties properties,
			EmbeddingRequestValidator embeddingRequestValidator) {
		return DefaultKlusterEmbeddingClient.builder(connection)
			.validator(embeddingRequestValidator)
			.defaults(properties.getEmbedding().toDefaults())
			.timeouts(properties.toTimeouts())
			.retry(properties.getRetry().toRetry())
			.build();
	}

	// Once the application is ready, not during the refresh: start-up stays as short as
	// without it, and the first call finds the WebClient, the HTTP client's resources and
	// the JSON readers and writers made.
	@Bean
	@ConditionalOnBooleanProperty(name = "kluster.warm-up.enabled", matchIfMissing = true)
	KlusterWarmUp klusterWarmUp(ObjectProvider<KlusterConnection> connection,
			ObjectProvider<KlusterChatClient> chatClient, ObjectProvider<KlusterEmbeddingClient> embeddingClient) {
		return new KlusterWarmUp(connection, chatClient, embeddingClient);
	}

	@Bean
	@ConditionalOnMissingBean
	KlusterBatchClient klusterBatchClient(KlusterConnection connection, KlusterProperties properties,
			RequestValidator requestValidator, EmbeddingRequestValidator embeddingRequestValidator) {
		return DefaultKlusterBatchClient.builder(connection)
			.validator(requestValidator)
			.defaults(properties.getChat().toDefaults())
			.embeddingValidator(embeddingRequestValidator)
			.embeddingDefaults(properties.getEmbedding().toDefaults())
			.settings(properties.getBatch().toSettings())
			.build();
	}

}
