package dev.kluster.boot.test;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

import static dev.kluster.boot.test.StandInClient.streamedChat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link KlusterStandInContextCustomizerFactory} and the customizer it creates.
 */
class KlusterStandInContextCustomizerFactoryTests {

	private final KlusterStandInContextCustomizerFactory factory = new KlusterStandInContextCustomizerFactory();

	@Test
	void createsNoCustomizerWithoutTheAnnotation() {
		assertThat(this.factory.createContextCustomizer(NotAnnotated.class, List.of())).isNull();
	}

	@Test
	void createsEqualCustomizersForAnnotatedTestsSoThatTheyShareACachedContext() {
		ContextCustomizer first = this.factory.createContextCustomizer(Annotated.class, List.of());
		ContextCustomizer second = this.factory.createContextCustomizer(AlsoAnnotated.class, List.of());
		assertThat(first).isInstanceOf(KlusterStandInContextCustomizer.class).isEqualTo(second);
		assertThat(first).hasSameHashCodeAs(second);
	}

	@Test
	void findsTheAnnotationOnSuperclassesAndEnclosingClasses() {
		assertThat(this.factory.createContextCustomizer(InheritsAnnotation.class, List.of())).isNotNull();
		assertThat(this.factory.createContextCustomizer(Annotated.Inner.class, List.of())).isNotNull();
	}

	@Test
	void registersARunningStandInThatStopsWithTheContext() {
		KlusterStandIn standIn;
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			customize(context);
			context.refresh();
			standIn = context.getBean(KlusterStandIn.class);
			assertThat(context.getEnvironment().getProperty("kluster.base-url")).isEqualTo(standIn.baseUrl());
			assertThat(context.getEnvironment().getProperty("kluster.api-key")).isEqualTo("test-key");
			assertThat(new StandInClient(standIn.baseUrl()).get("/models").status()).isEqualTo(200);
		}
		assertThat(new StandInClient(standIn.baseUrl()).stream(streamedChat("any", "hi")).error())
			.hasMessageContaining("Connection refused");
	}

	@Test
	void overridesAnApiKeyOfTheApplicationsConfiguration() {
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			context.getEnvironment()
				.getPropertySources()
				.addLast(new MapPropertySource("application.yml", Map.of("kluster.api-key", "real-key")));
			customize(context);
			context.refresh();
			assertThat(context.getEnvironment().getProperty("kluster.api-key")).isEqualTo("test-key");
		}
	}

	@Test
	void keepsAnApiKeyThatTheTestSetsInItsInlinedProperties() {
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("Inlined Test Properties", Map.of("kluster.api-key", "own-key")));
			customize(context, "kluster.apiKey=own-key");
			context.refresh();
			assertThat(context.getEnvironment().getProperty("kluster.api-key")).isEqualTo("own-key");
		}
	}

	private void customize(GenericApplicationContext context, String... testProperties) {
		ContextCustomizer customizer = this.factory.createContextCustomizer(Annotated.class, List.of());
		assertThat(customizer).isNotNull();
		MergedContextConfiguration mergedConfig = mock(MergedContextConfiguration.class);
		given(mergedConfig.getPropertySourceProperties()).willReturn(testProperties);
		customizer.customizeContext(context, mergedConfig);
	}

	static class NotAnnotated {

	}

	@AutoConfigureKlusterStandIn
	static class Annotated {

		class Inner {

		}

	}

	@AutoConfigureKlusterStandIn
	static class AlsoAnnotated {

	}

	static class InheritsAnnotation extends Annotated {

	}

}
