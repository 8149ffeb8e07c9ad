package dev.kluster.boot.resilience;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.autoconfigure.KlusterSanitizingAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SimpleCommandLinePropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the actuator's {@code /env} shows the API key nowhere, also where it is part
 * of a longer value: the command line in {@code sun.java.command}, JVM options.
 */
class KeyInActuatorOutputTests {

	private static final String KEY = LocalKluster.KEY;

	private final ApplicationContextRunner runner = KlusterContexts.runner("http://localhost:8080/v1")
		.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class,
				EnvironmentEndpointAutoConfiguration.class, KlusterSanitizingAutoConfiguration.class))
		.withPropertyValues("management.endpoint.env.show-values=always", "management.endpoints.web.exposure.include=*");

	@Test
	void keyGivenOnTheCommandLineIsMaskedInEveryValueThatContainsIt() {
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SimpleCommandLinePropertySource("--kluster.api-key=" + KEY, "--app.mode=demo")))
			.withSystemProperties("sun.java.command=com.example.ChatApplication --kluster.api-key=" + KEY,
					"java.command.options=-Dkluster.api-key=" + KEY + " -Xmx512m")
			.withPropertyValues("app.callback=https://hooks.example.com/kluster?key=" + KEY, "app.visible=shown")
			.run((context) -> {
				EnvironmentEndpoint endpoint = context.getBean(EnvironmentEndpoint.class);
				String env = JsonMapper.shared().writeValueAsString(endpoint.environment(null));
				assertThat(env).contains("sun.java.command")
					.contains("java.command.options")
					.contains("app.callback")
					.contains("commandLineArgs")
					.contains("shown")
					.contains("demo")
					.doesNotContain(KEY);
				for (String name : new String[] { "sun.java.command", "java.command.options", "app.callback" }) {
					String entry = JsonMapper.shared().writeValueAsString(endpoint.environmentEntry(name));
					assertThat(entry).as(name).contains("******").doesNotContain(KEY);
				}
			});
	}

	@Test
	void applicationReplacesTheSanitizingFunctionWithOneOfTheSameName() {
		SanitizingFunction own = (data) -> data.getKey().equals("app.secret") ? data.withSanitizedValue() : data;
		this.runner.withBean("klusterApiKeySanitizingFunction", SanitizingFunction.class, () -> own)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("klusterApiKeySanitizingFunction")).isSameAs(own);
				SanitizableData data = new SanitizableData(null, "app.secret", "x");
				assertThat(context.getBean(SanitizingFunction.class).apply(data).getValue()).isEqualTo("******");
			});
	}

}
