package dev.kluster.sample;

import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the {@link StandInEnvironmentPostProcessor} while the build processes the
 * sample ahead of time.
 */
class StandInEnvironmentPostProcessorTests {

	private static final String AOT_PROCESSING = "spring.aot.processing";

	@AfterEach
	void clearAotProcessing() {
		System.clearProperty(AOT_PROCESSING);
	}

	@Test
	void startsNoStandInWhileProcessedAheadOfTime() {
		System.setProperty(AOT_PROCESSING, "true");
		StandardEnvironment environment = new StandardEnvironment();
		new StandInEnvironmentPostProcessor(Supplier::get)
			.postProcessEnvironment(environment, new SpringApplication(SampleApplication.class));
		assertThat(environment.getPropertySources().contains("kluster-stand-in")).isFalse();
		assertThat(environment.containsProperty("kluster.base-url")).isFalse();
	}

}
