package dev.kluster.boot.autoconfigure;

import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler.IgnoredMeters;
import io.micrometer.observation.ObservationRegistry;

import dev.kluster.boot.observation.KlusterBatchMeterObservationHandler;
import dev.kluster.boot.observation.KlusterChatMeterObservationHandler;
import dev.kluster.boot.observation.KlusterMeterFilter;
import dev.kluster.boot.observation.KlusterValidationRejections;
import dev.kluster.boot.observation.ValidationParameterTags;
import dev.kluster.boot.validation.KlusterRequestValidator;
import dev.kluster.boot.validation.RequestValidator;
import dev.kluster.boot.validation.ValidationPolicy;
import org.springframework.beans.factory.ObjectProvider;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import dev.kluster.boot.observation.KlusterRateLimitMeterDocumentation;
import dev.kluster.boot.observation.KlusterRateLimitMeters;
import dev.kluster.boot.observation.MicrometerRateLimitMeters;
import dev.kluster.boot.transport.KlusterConcurrencyLimit;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * {@link AutoConfiguration Auto-configuration} of the meters of kluster.ai calls: those of
 * chat calls (operation timer, calls in flight, token usage, time to first chunk, and the
 * meters of their HTTP exchanges), batch counters, validation rejections, one error tag on
 * the operation timers and the histogram buckets of the OpenTelemetry GenAI conventions.
 * The observations themselves are part of the connection that
 * {@link KlusterAutoConfiguration} makes; the timers of batch calls come from Boot's
 * metrics support.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = KlusterAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "kluster.enabled", matchIfMissing = true)
@EnableConfigurationProperties(KlusterProperties.class)
public final class KlusterObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	KlusterMeterFilter klusterMeterFilter(KlusterProperties properties) {
		return new KlusterMeterFilter(properties.getObservations().isHistograms());
	}

	@Bean
	@ConditionalOnMissingBean
	KlusterRateLimitMeters klusterRateLimitMeters(MeterRegistry meterRegistry) {
		return new MicrometerRateLimitMeters(meterRegistry);
	}

	// The slots of kluster.max-concurrent-requests this instance holds, shared or not.
	@Bean
	MeterBinder klusterRateLimitSlotsMeterBinder(ObjectProvider<KlusterConcurrencyLimit> concurrencyLimit) {
		return (registry) -> concurrencyLimit.ifAvailable((limit) -> Gauge
			.builder(KlusterRateLimitMeterDocumentation.SLOTS_HELD.getName(), limit, KlusterConcurrencyLimit::inFlight)
			.description("Slots of kluster.max-concurrent-requests this instance holds")
			.register(registry));
	}

	@Bean
	@ConditionalOnMissingBean
	KlusterValidationRejections klusterValidationRejections(MeterRegistry meterRegistry, KlusterProperties properties,
			ObjectProvider<RequestValidator> requestValidator) {
		return new KlusterValidationRejections(meterRegistry,
				new ValidationParameterTags(policy(properties, requestValidator.getIfUnique())));
	}

	// The tag values follow the lists the validator enforces: those of its policy when it
	// is the default validator, else those of the properties.
	private static ValidationPolicy policy(KlusterProperties properties, RequestValidator requestValidator) {
		if (requestValidator instanceof KlusterRequestValidator validator) {
			return validator.policy();
		}
		return properties.getValidation().toPolicy();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(ObservationRegistry.class)
	static class MeterObservationHandlerConfiguration {

		private static final String IGNORED_METERS_PROPERTY = "management.metrics.observations.ignored-meters";

		// First among the meter handlers, which Boot asks in order, so that it, and not
		// DefaultMeterObservationHandler, records the meters of chat calls.
		@Bean
		@ConditionalOnMissingBean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		KlusterChatMeterObservationHandler klusterChatMeterObservationHandler(MeterRegistry meterRegistry,
				Environment environment) {
			return new KlusterChatMeterObservationHandler(meterRegistry, ignoredMeters(environment));
		}

		// The meters Boot's own DefaultMeterObservationHandler is told to leave out.
		private static IgnoredMeters[] ignoredMeters(Environment environment) {
			return Binder.get(environment)
				.bind(IGNORED_METERS_PROPERTY, Bindable.setOf(IgnoredMeters.class))
				.orElse(Set.of())
				.toArray(IgnoredMeters[]::new);
		}

		@Bean
		@ConditionalOnMissingBean
		KlusterBatchMeterObservationHandler klusterBatchMeterObservationHandler(MeterRegistry meterRegistry) {
			return new KlusterBatchMeterObservationHandler(meterRegistry);
		}

	}

}
