package dev.kluster.docs.readme;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.autoconfigure.KlusterAutoConfiguration;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.test.KlusterStandIn;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What README.md says applies to the client's {@code WebClient}: the application's
 * {@code WebClient} customizers do, and chat bodies are written with the application's
 * {@code JsonMapper}, not with the codecs.
 */
class ReadmeClaimsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private ApplicationContextRunner runner(KlusterStandIn standIn) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
					HttpClientAutoConfiguration.class, ReactiveHttpClientAutoConfiguration.class,
					WebClientAutoConfiguration.class, KlusterAutoConfiguration.class))
			.withPropertyValues("kluster.base-url=" + standIn.baseUrl(), "kluster.api-key=test-key");
	}

	@Test
	void theApplicationsWebClientCustomizersApplyToTheKlusterClient() {
		try (KlusterStandIn standIn = KlusterStandIn.start()) {
			runner(standIn)
				.withBean(WebClientCustomizer.class, () -> (builder) -> builder.defaultHeader("X-App", "shop"))
				.run((context) -> {
					context.getBean(KlusterChatClient.class).chat("Hi").block(TIMEOUT);
					assertThat(standIn.lastRequest().header("X-App")).isEqualTo("shop");
				});
		}
	}

	@Test
	void chatBodiesAreWrittenWithTheApplicationsJsonMapper() {
		try (KlusterStandIn standIn = KlusterStandIn.start()) {
			runner(standIn)
				.withBean("jsonMapper", JsonMapper.class,
						() -> JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build())
				.run((context) -> {
					assertThat(context.getBean(KlusterChatClient.class).chat("Hi").block(TIMEOUT)).isNotBlank();
					assertThat(standIn.lastRequest().body()).contains("\n");
				});
		}
	}

}
