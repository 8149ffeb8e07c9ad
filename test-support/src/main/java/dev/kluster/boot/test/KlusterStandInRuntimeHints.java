package dev.kluster.boot.test;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * {@link RuntimeHintsRegistrar} of what the {@link KlusterStandIn} needs at run time in a
 * native image, for an application that runs with it, as the sample does without an API
 * key: the unsupported fields it refuses, a resource beside its classes. It needs no
 * reflection, as it reads and writes JSON as trees. Registered in
 * {@code META-INF/spring/aot.factories}, as the stand-in is no bean.
 *
 * @since 0.1.0
 */
final class KlusterStandInRuntimeHints implements RuntimeHintsRegistrar {

	/** The unsupported fields, loaded by {@link StandInUnsupportedFields} beside itself. */
	static final String UNSUPPORTED_FIELDS = StandInUnsupportedFields.class.getPackageName().replace('.', '/')
			+ "/unsupported-parameters.properties";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern(UNSUPPORTED_FIELDS);
	}

}
