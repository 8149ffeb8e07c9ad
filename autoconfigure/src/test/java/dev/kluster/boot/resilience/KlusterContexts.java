package dev.kluster.boot.resilience;

import java.util.function.Consumer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import dev.kluster.boot.autoconfigure.KlusterAutoConfiguration;

/**
 * The auto-configured client as an application gets it, with the test's API key and
 * short backoffs.
 */
final class KlusterContexts {

	private KlusterContexts() {
	}

	static ApplicationContextRunner runner(String baseUrl) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
					WebClientAutoConfiguration.class, KlusterAutoConfiguration.class))
			.withPropertyValues("kluster.api-key=" + LocalKluster.KEY, "kluster.base-url=" + baseUrl,
					"kluster.retry.initial-backoff=10ms", "kluster.retry.max-backoff=100ms");
	}

	/**
	 * Run with the given loggers at {@code TRACE}, as an application that debugs its HTTP
	 * traffic would, and put them back after.
	 */
	static void withTraceLogging(Runnable action, String... loggers) {
		LoggingSystem system = LoggingSystem.get(KlusterContexts.class.getClassLoader());
		Consumer<LogLevel> setAll = (level) -> {
			for (String logger : loggers) {
				system.setLogLevel(logger, level);
			}
		};
		setAll.accept(LogLevel.TRACE);
		try {
			action.run();
		}
		finally {
			setAll.accept(null);
		}
	}

}
