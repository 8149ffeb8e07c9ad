package dev.kluster.boot.test;

import java.lang.reflect.Parameter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;

import static dev.kluster.boot.test.StandInClient.streamedChat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for the lifecycle of {@link KlusterStandInExtension}, driven by hand.
 */
class KlusterStandInExtensionLifecycleTests {

	private final ExtensionContext context = mock(ExtensionContext.class);

	@Test
	void startsBeforeAllAndStopsAfterAll() {
		KlusterStandInExtension extension = new KlusterStandInExtension();
		assertThatIllegalStateException().isThrownBy(extension::standIn);
		extension.beforeAll(this.context);
		KlusterStandIn standIn = extension.standIn();
		extension.beforeEach(this.context);
		extension.afterEach(this.context);
		assertThat(extension.standIn()).isSameAs(standIn);
		assertThat(new StandInClient(standIn.baseUrl()).get("/models").status()).isEqualTo(200);
		extension.afterAll(this.context);
		assertThatIllegalStateException().isThrownBy(extension::standIn);
		assertRefusesConnections(standIn);
	}

	@Test
	void startsAndStopsAroundEachTestWhenRegisteredOnAnInstanceField() {
		KlusterStandInExtension extension = new KlusterStandInExtension();
		extension.beforeEach(this.context);
		KlusterStandIn standIn = extension.standIn();
		assertThat(new StandInClient(standIn.baseUrl()).get("/models").status()).isEqualTo(200);
		extension.afterEach(this.context);
		assertThatIllegalStateException().isThrownBy(extension::standIn);
		assertRefusesConnections(standIn);
	}

	@Test
	void resolvesOnlyStandInParameters() throws Exception {
		KlusterStandInExtension extension = new KlusterStandInExtension();
		ParameterContext standInParameter = parameter("withStandIn");
		ParameterContext stringParameter = parameter("withString");
		assertThat(extension.supportsParameter(standInParameter, this.context)).isTrue();
		assertThat(extension.supportsParameter(stringParameter, this.context)).isFalse();
		assertThatExceptionOfType(ParameterResolutionException.class)
			.isThrownBy(() -> extension.resolveParameter(standInParameter, this.context))
			.withMessageContaining("not running");
		extension.beforeAll(this.context);
		try {
			assertThat(extension.resolveParameter(standInParameter, this.context)).isSameAs(extension.standIn());
		}
		finally {
			extension.afterAll(this.context);
		}
	}

	private static ParameterContext parameter(String methodName) throws Exception {
		Parameter parameter = Parameters.class.getDeclaredMethod(methodName, methodName.equals("withStandIn")
				? KlusterStandIn.class : String.class).getParameters()[0];
		ParameterContext parameterContext = mock(ParameterContext.class);
		given(parameterContext.getParameter()).willReturn(parameter);
		return parameterContext;
	}

	private static void assertRefusesConnections(KlusterStandIn standIn) {
		assertThat(new StandInClient(standIn.baseUrl()).stream(streamedChat("any", "hi")).error())
			.hasMessageContaining("Connection refused");
	}

	static class Parameters {

		void withStandIn(KlusterStandIn standIn) {
		}

		void withString(String text) {
		}

	}

}
