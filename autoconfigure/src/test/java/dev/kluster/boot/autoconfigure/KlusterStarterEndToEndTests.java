package dev.kluster.boot.autoconfigure;

import java.time.Duration;
import java.util.List;

import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterWebClientCustomizer;
import dev.kluster.boot.client.MockKlusterServer;
import dev.kluster.boot.model.ChatCompletionChunk;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.Role;
import dev.kluster.boot.model.ToolDefinition;
import dev.kluster.boot.validation.KlusterValidationException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What a new application gets from the starter with only {@code kluster.api-key} and
 * {@code kluster.base-url} set: the auto-configured client against a local server.
 */
class KlusterStarterEndToEndTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@RegisterExtension
	final MockKlusterServer server = new MockKlusterServer();

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
					WebClientAutoConfiguration.class, KlusterAutoConfiguration.class))
			.withPropertyValues("kluster.api-key=sk-e2e-secret", "kluster.base-url=" + this.server.baseUrl());
	}

	@Test
	void injectedClientGetsACompletionAndAStream() throws Exception {
		this.server.enqueueJson(200, """
				{"id":"c1","object":"chat.completion","created":1733832777,"model":"klusterai/Meta-Llama-3.1-8B-Instruct-Turbo",
				 "choices":[{"index":0,"message":{"role":"assistant","content":"Paris"},"finish_reason":"stop"}],
				 "usage":{"prompt_tokens":9,"completion_tokens":1,"total_tokens":10}}""");
		this.server.enqueueStream(MockKlusterServer.sse(
				"{\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Par\"}}]}",
				"{\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"is\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}",
				"[DONE]"), 16);
		contextRunner().run((context) -> {
			KlusterChatClient client = context.getBean(KlusterChatClient.class);
			assertThat(client.chat("Capital of France?").block(TIMEOUT)).isEqualTo("Paris");
			List<ChatCompletionChunk> chunks = client
				.stream(ChatCompletionRequest.builder().message(ChatMessage.user("Capital of France?")).build())
				.collectList()
				.block(TIMEOUT);
			assertThat(chunks).extracting(ChatCompletionChunk::text).containsExactly("Par", "is");
			assertThat(chunks.get(chunks.size() - 1).usage().completionTokens()).isEqualTo(2);
		});
		RecordedRequest first = this.server.takeRequest();
		assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer sk-e2e-secret");
		assertThat(first.getHeaders().get("User-Agent")).isEqualTo(KlusterConnection.DEFAULT_USER_AGENT);
		assertThat(first.getBody().utf8()).contains("\"model\":\"klusterai/Meta-Llama-3.1-8B-Instruct-Turbo\"");
		this.server.takeRequest();
	}

	@Test
	void nToolsAndMessageNameAreRefusedWithoutSendingAnything() {
		contextRunner().run((context) -> {
			KlusterChatClient client = context.getBean(KlusterChatClient.class);
			ChatCompletionRequest request = ChatCompletionRequest.builder()
				.message(ChatMessage.builder(Role.USER).content("Hi").name("ann").build())
				.n(2)
				.tools(List.of(ToolDefinition.function(new ToolDefinition.FunctionDefinition("lookup", null, null, null))))
				.build();
			Throwable failure = catchThrowable(() -> client.chat(request).block(TIMEOUT));
			assertThat(failure).isInstanceOfSatisfying(KlusterValidationException.class, (ex) -> {
				assertThat(ex.paths()).containsExactlyInAnyOrder("n", "tools", "messages[0].name");
				assertThat(ex).hasMessageContaining("n").hasMessageContaining("tools").hasMessageContaining("messages[0].name");
			});
		});
		assertThat(this.server.requestCount()).isZero();
	}

	@Test
	void klusterWebClientCustomizerIsApplied() throws Exception {
		this.server.enqueueJson(200, "{\"object\":\"list\",\"data\":[{\"id\":\"m1\",\"object\":\"model\"}]}");
		KlusterWebClientCustomizer customizer = (builder) -> builder.defaultHeader("X-Team", "search");
		contextRunner().withBean(KlusterWebClientCustomizer.class, () -> customizer).run((context) -> {
			assertThat(context.getBean(KlusterChatClient.class).models().collectList().block(TIMEOUT)).hasSize(1);
			// The application's own builder stays untouched.
			context.getBean(WebClient.Builder.class)
				.defaultHeaders((headers) -> assertThat(headers.containsHeader("X-Team")).isFalse());
		});
		assertThat(this.server.takeRequest().getHeaders().get("X-Team")).isEqualTo("search");
	}

}
