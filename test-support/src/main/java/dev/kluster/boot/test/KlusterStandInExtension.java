package dev.kluster.boot.test;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that runs a {@link KlusterStandIn} for a test class: it starts the
 * stand-in before all tests, {@linkplain KlusterStandIn#reset() resets} it after each
 * test and closes it after all tests. Test and lifecycle methods can declare a
 * {@link KlusterStandIn} parameter to receive it.
 *
 * <pre class="code">
 * class WeatherBotTests {
 *
 *     &#064;RegisterExtension
 *     static KlusterStandInExtension standIn = new KlusterStandInExtension();
 *
 *     &#064;Test
 *     void answersFromTheModel(KlusterStandIn kluster) {
 *         kluster.answer("Sunny");
 *         // call the code under test, configured with kluster.baseUrl() ...
 *     }
 *
 * }
 * </pre>
 *
 * Registered on an instance field rather than a static one, the extension starts a
 * stand-in before each test and closes it after.
 *
 * @since 0.1.0
 */
public class KlusterStandInExtension
		implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {

	private @Nullable KlusterStandIn standIn;

	private boolean startedForOneTest;

	/**
	 * The running stand-in.
	 * @return the stand-in
	 * @throws IllegalStateException if it is not running, outside of the tests
	 */
	public KlusterStandIn standIn() {
		KlusterStandIn running = this.standIn;
		if (running == null) {
			throw new IllegalStateException("The kluster.ai stand-in runs only while the tests of the class run");
		}
		return running;
	}

	/**
	 * The running stand-in's base URL, a shortcut for {@code standIn().baseUrl()}.
	 * @return the base URL
	 */
	public String baseUrl() {
		return standIn().baseUrl();
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		if (this.standIn == null) {
			this.standIn = KlusterStandIn.start();
		}
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		// Only an extension on an instance field gets here without beforeAll having run.
		if (this.standIn == null) {
			this.standIn = KlusterStandIn.start();
			this.startedForOneTest = true;
		}
	}

	@Override
	public void afterEach(ExtensionContext context) {
		KlusterStandIn running = this.standIn;
		if (running == null) {
			return;
		}
		if (this.startedForOneTest) {
			stop();
		}
		else {
			running.reset();
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stop();
	}

	private void stop() {
		KlusterStandIn running = this.standIn;
		this.standIn = null;
		this.startedForOneTest = false;
		if (running != null) {
			running.close();
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == KlusterStandIn.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		KlusterStandIn running = this.standIn;
		if (running == null) {
			throw new ParameterResolutionException("The kluster.ai stand-in is not running: register "
					+ "KlusterStandInExtension with @RegisterExtension on a static field to use it in "
					+ parameterContext.getDeclaringExecutable());
		}
		return running;
	}

}
