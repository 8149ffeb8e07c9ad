package dev.kluster.boot.live;

import java.time.Duration;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ApplicationContext;

import dev.kluster.boot.autoconfigure.KlusterAutoConfiguration;

/**
 * What the live suite ({@code *IT}, run by {@code ./mvnw -Plive verify} when
 * {@link KlusterApiKeyCondition a key is set}) shares: the auto-configured clients of an
 * application that sets nothing but its key. The key comes
 * from the {@code KLUSTER_API_KEY} environment variable, as in an application; any other
 * {@code kluster.*} property can be set the same way, for example
 * {@code KLUSTER_CHAT_MODEL} for the model the probe asks.
 */
final class LiveKluster {

	/** How long one real-time call may take: generous, since it measures nothing. */
	static final Duration TIMEOUT = Duration.ofMinutes(2);

	private LiveKluster() {
	}

	/**
	 * Run the given code with the auto-configured beans of an application connected to
	 * kluster.ai.
	 * @param test what to do with the context
	 */
	static void run(Consumer<ApplicationContext> test) {
		run(null, test);
	}

	/**
	 * Run the given code with the auto-configured beans of an application connected to
	 * kluster.ai and one property of its own.
	 * @param property a {@code name=value} pair beside the environment's, or {@code null}
	 * @param test what to do with the context
	 */
	static void run(@Nullable String property, Consumer<ApplicationContext> test) {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
					WebClientAutoConfiguration.class, KlusterAutoConfiguration.class))
			.withPropertyValues((property != null) ? new String[] { property } : new String[0])
			.run((context) -> {
				if (context.getStartupFailure() != null) {
					throw new IllegalStateException("The auto-configuration did not start", context.getStartupFailure());
				}
				test.accept(context);
			});
	}

}
