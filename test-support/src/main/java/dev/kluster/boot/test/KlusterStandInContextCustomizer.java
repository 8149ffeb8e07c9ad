package dev.kluster.boot.test;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.Assert;

/**
 * {@link ContextCustomizer} that starts a {@link KlusterStandIn} for a test application
 * context, registers it as a bean and points the {@code kluster.*} properties at it.
 *
 * @see AutoConfigureKlusterStandIn
 */
class KlusterStandInContextCustomizer implements ContextCustomizer {

	static final String BEAN_NAME = "klusterStandIn";

	static final String PROPERTY_SOURCE_NAME = "klusterStandIn";

	static final String BASE_URL_PROPERTY = "kluster.base-url";

	static final String API_KEY_PROPERTY = "kluster.api-key";

	static final String TEST_API_KEY = "test-key";

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
		if (!environment.containsProperty(API_KEY_PROPERTY)) {
			properties.put(API_KEY_PROPERTY, TEST_API_KEY);
		}
		environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
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
