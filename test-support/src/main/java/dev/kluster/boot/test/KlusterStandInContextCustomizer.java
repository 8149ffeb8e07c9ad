package dev.kluster.boot.test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.support.TestPropertySourceUtils;
import org.springframework.util.Assert;

/**
 * {@link ContextCustomizer} that starts a {@link KlusterStandIn} for a test application
 * context, registers it as a bean, points the {@code kluster.*} properties at it and
 * makes it refuse the fields that the application's {@code kluster.validation.*}
 * settings refuse.
 *
 * @see AutoConfigureKlusterStandIn
 */
class KlusterStandInContextCustomizer implements ContextCustomizer {

	static final String BEAN_NAME = "klusterStandIn";

	static final String PROPERTY_SOURCE_NAME = "klusterStandIn";

	static final String BASE_URL_PROPERTY = "kluster.base-url";

	static final String API_KEY_PROPERTY = "kluster.api-key";

	static final String TEST_API_KEY = "test-key";

	static final String UNSUPPORTED_REQUEST_PARAMETERS_PROPERTY = "kluster.validation.unsupported-request-parameters";

	static final String UNSUPPORTED_MESSAGE_PARAMETERS_PROPERTY = "kluster.validation.unsupported-message-parameters";

	static final String UNSUPPORTED_EMBEDDING_PARAMETERS_PROPERTY = "kluster.validation.unsupported-embedding-parameters";

	static final String ALLOWED_PARAMETERS_PROPERTY = "kluster.validation.allowed-parameters";

	private static final Bindable<Set<String>> STRING_SET = Bindable.setOf(String.class);

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		Assert.state(beanFactory instanceof DefaultSingletonBeanRegistry,
				() -> "Cannot register the kluster.ai stand-in with " + beanFactory.getClass().getName());
		KlusterStandIn standIn = KlusterStandIn.start();
		beanFactory.registerSingleton(BEAN_NAME, standIn);
		// A registered singleton is not destroyed with the context unless it is also
		// registered as disposable; this also stops the stand-in when the refresh fails.
		((DefaultSingletonBeanRegistry) beanFactory).registerDisposableBean(BEAN_NAME, standIn::close);
		ConfigurableEnvironment environment = context.getEnvironment();
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put(BASE_URL_PROPERTY, standIn.baseUrl());
		// Only the test's own properties keep their key: one from application.yml or from a
		// KLUSTER_API_KEY variable on the machine would make the test depend on where it runs.
		if (!setByTheTest(mergedConfig, API_KEY_PROPERTY)) {
			properties.put(API_KEY_PROPERTY, TEST_API_KEY);
		}
		environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
		standIn.refuseUnsupported(unsupportedFields(environment));
	}

	/**
	 * The fields the application's validation refuses, bound as {@code KlusterProperties}
	 * binds them: an application that allows {@code tools} for its model is tested
	 * against a stand-in that accepts them. The validation mode does not count, so that
	 * with validation off the stand-in still answers as kluster.ai would.
	 */
	private static StandInUnsupportedFields unsupportedFields(ConfigurableEnvironment environment) {
		Binder binder = Binder.get(environment);
		StandInUnsupportedFields defaults = StandInUnsupportedFields.DEFAULTS;
		Set<String> request = binder.bind(UNSUPPORTED_REQUEST_PARAMETERS_PROPERTY, STRING_SET)
			.orElse(defaults.request());
		Set<String> message = binder.bind(UNSUPPORTED_MESSAGE_PARAMETERS_PROPERTY, STRING_SET)
			.orElse(defaults.message());
		Set<String> embedding = binder.bind(UNSUPPORTED_EMBEDDING_PARAMETERS_PROPERTY, STRING_SET)
			.orElse(defaults.embedding());
		Set<String> allowed = binder.bind(ALLOWED_PARAMETERS_PROPERTY, STRING_SET).orElse(Set.of());
		return new StandInUnsupportedFields(request, message, embedding).accepting(allowed);
	}

	private static boolean setByTheTest(MergedContextConfiguration mergedConfig, String name) {
		Map<String, Object> inlined = TestPropertySourceUtils
			.convertInlinedPropertiesToMap(mergedConfig.getPropertySourceProperties());
		// Through Boot's binding names, so that kluster.apiKey or KLUSTER_API_KEY count too.
		return ConfigurationPropertySource.from(new MapPropertySource("test", inlined))
			.getConfigurationProperty(ConfigurationPropertyName.of(name)) != null;
	}

	// Test contexts are cached by their customizers: all annotated tests that are
	// otherwise configured alike share one context, and so one stand-in.
	@Override
	public boolean equals(@Nullable Object obj) {
		return (obj != null) && (obj.getClass() == getClass());
	}

	@Override
	public int hashCode() {
		return getClass().hashCode();
	}

}
