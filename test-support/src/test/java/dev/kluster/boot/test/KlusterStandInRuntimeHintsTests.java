package dev.kluster.boot.test;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the {@link KlusterStandInRuntimeHints}: registered where ahead-of-time
 * processing finds them, for a resource that exists.
 */
class KlusterStandInRuntimeHintsTests {

	@Test
	void aheadOfTimeProcessingFindsTheHintsOfTheStandIn() {
		RuntimeHints hints = new RuntimeHints();
		SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(hints, getClass().getClassLoader()));
		assertThat(RuntimeHintsPredicates.resource().forResource(KlusterStandInRuntimeHints.UNSUPPORTED_FIELDS))
			.accepts(hints);
	}

	@Test
	void theUnsupportedFieldsAreAResourceThatExists() {
		assertThat(getClass().getClassLoader().getResource(KlusterStandInRuntimeHints.UNSUPPORTED_FIELDS)).isNotNull();
	}

}
