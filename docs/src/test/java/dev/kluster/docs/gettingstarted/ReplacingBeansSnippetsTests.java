package dev.kluster.docs.gettingstarted;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.kluster.boot.batch.KlusterBatchClient;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.error.KlusterServerException;
import dev.kluster.boot.autoconfigure.KlusterAutoConfiguration;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.validation.KlusterValidationException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Runs getting-started.md's beans that replace auto-configured ones.
 */
class ReplacingBeansSnippetsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	// One stand-in per test: closing a context disposes Reactor Netty's global resources,
	// which a stand-in shared across contexts would be serving on.
	private ApplicationContextRunner runner(KlusterStandIn standIn) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
					HttpClientAutoConfiguration.class, ReactiveHttpClientAutoConfiguration.class,
					WebClientAutoConfiguration.class, KlusterAutoConfiguration.class))
			.withPropertyValues("kluster.base-url=" + standIn.baseUrl());
	}

	@Test
	void ownValidatorAddsItsRuleToKlustersAndAllowsTools() {
		try (KlusterStandIn standIn = KlusterStandIn.start()) {
			runner(standIn).withUserConfiguration(ValidationConfig.class)
				.withPropertyValues("kluster.api-key=test-key")
				.run((context) -> {
					KlusterChatClient client = context.getBean(KlusterChatClient.class);
					int before = standIn.requestCount();
					assertThatExceptionOfType(KlusterValidationException.class)
						.isThrownBy(() -> client.chat("Hi").block(TIMEOUT))
						.satisfies((ex) -> assertThat(ex.paths()).containsExactly("user"));
					assertThat(standIn.requestCount()).isEqualTo(before);
					ChatCompletionRequest withUser = ChatCompletionRequest.builder()
						.message(ChatMessage.user("Hi"))
						.user("ann")
						.build();
					assertThat(client.chat(withUser).block(TIMEOUT)).isNotNull();
				});
		}
	}

	@Test
	void ownConnectionCarriesItsKeyToBothAutoConfiguredClientsWithoutKlusterApiKey() {
		try (KlusterStandIn standIn = KlusterStandIn.start()) {
			runner(standIn).withUserConfiguration(TeamConnectionConfig.class)
				.withPropertyValues("team.kluster-key=team-secret", "kluster.retry.initial-backoff=1ms")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(KlusterChatClient.class).chat("Hi").block(TIMEOUT)).isNotBlank();
					assertThat(standIn.lastRequest().header("Authorization")).isEqualTo("Bearer team-secret");
					// The auto-configured client keeps kluster.retry.*: one 502 is retried.
					standIn.failNext(502, "<html>Bad Gateway</html>");
					assertThat(context.getBean(KlusterChatClient.class).chat("Hi").block(TIMEOUT)).isNotBlank();
					context.getBean(KlusterBatchClient.class).list().blockLast(TIMEOUT);
					assertThat(standIn.lastRequest().header("Authorization")).isEqualTo("Bearer team-secret");
					// Answers up to 10 MB are read, not Spring's default 256 KB.
					standIn.answer("word ".repeat(100_000));
					assertThat(context.getBean(KlusterChatClient.class).chat("Hi").block(TIMEOUT)).hasSizeGreaterThan(
							256 * 1024);
				});
		}
	}

	@Test
	void ownChatClientUsesTheConnectionItsModelAndItsRetry() {
		try (KlusterStandIn standIn = KlusterStandIn.start()) {
			runner(standIn).withUserConfiguration(OwnChatClientConfig.class)
				.withPropertyValues("kluster.api-key=test-key")
				.run((context) -> {
					KlusterChatClient client = context.getBean(KlusterChatClient.class);
					assertThat(context.getBean(KlusterConnection.class)).isNotNull();
					standIn.acceptAnyModel();
					standIn.failNext(503, "busy");
					assertThat(client.chat("Hi").block(TIMEOUT)).isNotBlank();
					assertThat(standIn.lastRequest().json().get("model").asString())
						.isEqualTo("klusterai/Meta-Llama-3.3-70B-Instruct-Turbo");
					standIn.failNext(503, "busy");
					standIn.failNext(503, "busy");
					standIn.failNext(503, "busy");
					assertThatExceptionOfType(KlusterServerException.class)
						.isThrownBy(() -> client.chat("Hi").block(TIMEOUT));
				});
		}
	}

}
