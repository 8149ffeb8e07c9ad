package dev.kluster.boot.test;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * {@link ContextCustomizerFactory} that adds a {@link KlusterStandIn} to the context of a
 * test annotated with {@link AutoConfigureKlusterStandIn}.
 */
class KlusterStandInContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		// Searches superclasses, interfaces, meta-annotations and, for @Nested classes,
		// enclosing classes, like the test framework's own annotation lookups.
		return TestContextAnnotationUtils.hasAnnotation(testClass, AutoConfigureKlusterStandIn.class)
				? new KlusterStandInContextCustomizer() : null;
	}

}
