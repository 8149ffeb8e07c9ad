package dev.kluster.boot.autoconfigure;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import dev.kluster.boot.batch.KlusterBatchClient;
import dev.kluster.boot.batch.KlusterBatchSettings;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.client.KlusterEmbeddingClient;
import dev.kluster.boot.model.EmbeddingRequest;
import dev.kluster.boot.validation.EmbeddingRequestValidator;
import dev.kluster.boot.validation.KlusterValidationException;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.test.RecordedRequest;
import dev.kluster.boot.validation.KlusterRequestValidator;
import dev.kluster.boot.validation.RequestValidator;
import dev.kluster.boot.validation.ValidationMode;
import dev.kluster.boot.validation.ValidationPolicy;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KlusterAutoConfiguration}.
 */
class KlusterAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
				WebClientAutoConfiguration.class, KlusterAutoConfiguration.class));

	@Test
	void clientAndValidatorAreCreatedWhenAnApiKeyIsSet() {
		this.contextRunner.withPropertyValues("kluster.api-key=sk-test").run((context) -> {
			assertThat(context).hasSingleBean(KlusterChatClient.class);
			assertThat(context).hasSingleBean(RequestValidator.class);
			assertThat(context).hasSingleBean(KlusterProperties.class);
			assertThat(context).hasSingleBean(KlusterBatchClient.class);
			assertThat(context).hasSingleBean(KlusterConnection.class);
			assertThat(context.getBean(KlusterConnection.class).baseUrl()).isEqualTo("https://api.kluster.ai/v1");
		});
	}

	@Test
	void userDefinedConnectionIsUsedByBothClients() {
		try (KlusterStandIn standIn = KlusterStandIn.start()) {
			// The properties point elsewhere (nothing listens on port 1): only the user's
			// connection reaches the stand-in, and it marks each request it sends.
			WebClient webClient = WebClient.builder()
				.baseUrl(standIn.baseUrl())
				.defaultHeader("X-Connection", "user-defined")
				.build();
			KlusterConnection connection = KlusterConnection.builder()
				.webClient(webClient)
				.baseUrl(standIn.baseUrl())
				.build();
			this.contextRunner.withPropertyValues("kluster.api-key=sk-test", "kluster.base-url=http://127.0.0.1:1/v1")
				.withBean(KlusterConnection.class, () -> connection)
				.run((context) -> {
					assertThat(context.getBean(KlusterConnection.class)).isSameAs(connection);
					StepVerifier.create(context.getBean(KlusterChatClient.class).chat("Hello"))
						.expectNextCount(1)
						.expectComplete()
						.verify(Duration.ofSeconds(10));
					StepVerifier.create(context.getBean(KlusterBatchClient.class).list(5).collectList())
						.expectNextCount(1)
						.expectComplete()
						.verify(Duration.ofSeconds(10));
					assertThat(standIn.requests()).extracting(RecordedRequest::path)
						.containsExactly("/v1/chat/completions", "/v1/batches?limit=5");
					assertThat(standIn.requests()).extracting((request) -> request.header("X-Connection"))
						.containsOnly("user-defined");
				});
		}
	}

	@Test
	void embeddingClientIsCreatedBesideTheChatClientOnTheSameConnection() {
		try (KlusterStandIn standIn = KlusterStandIn.start()) {
			this.contextRunner
				.withPropertyValues("kluster.api-key=sk-test", "kluster.base-url=" + standIn.baseUrl(),
						"kluster.embedding.model=test/embedding-model", "kluster.embedding.encoding-format=base64")
				.run((context) -> {
					assertThat(context).hasSingleBean(KlusterEmbeddingClient.class);
					assertThat(context).hasSingleBean(EmbeddingRequestValidator.class);
					StepVerifier.create(context.getBean(KlusterEmbeddingClient.class).embed("Hello"))
						.assertNext((vector) -> assertThat(vector).hasSize(8))
						.expectComplete()
						.verify(Duration.ofSeconds(10));
					RecordedRequest request = standIn.lastRequest();
					assertThat(request.path()).isEqualTo("/v1/embeddings");
					assertThat(request.header("Authorization")).isEqualTo("Bearer sk-test");
					assertThat(request.json().path("model").asString()).isEqualTo("test/embedding-model");
					assertThat(request.json().path("encoding_format").asString()).isEqualTo("base64");
				});
		}
	}

	@Test
	void embeddingValidationFollowsTheValidationProperties() {
		this.contextRunner
			.withPropertyValues("kluster.api-key=sk-test", "kluster.embedding.model=m",
					"kluster.validation.allowed-parameters=embeddings.dimensions",
					"kluster.validation.unsupported-embedding-parameters=dimensions,user")
			.run((context) -> {
				EmbeddingRequestValidator validator = context.getBean(EmbeddingRequestValidator.class);
				EmbeddingRequest request = EmbeddingRequest.builder().model("m").input("a").dimensions(4).build();
				assertThat(validator.validate(request)).isSameAs(request);
				StepVerifier
					.create(context.getBean(KlusterEmbeddingClient.class)
						.embed(EmbeddingRequest.builder().input("a").user("u").build()))
					.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(KlusterValidationException.class)
						.hasMessageContaining("user is not supported by kluster.ai"))
					.verify(Duration.ofSeconds(10));
			});
	}

	@Test
	void userDefinedEmbeddingClientAndValidatorWin() {
		KlusterEmbeddingClient custom = org.mockito.Mockito.mock(KlusterEmbeddingClient.class);
		EmbeddingRequestValidator validator = (request) -> request;
		this.contextRunner.withPropertyValues("kluster.api-key=sk-test")
			.withBean(KlusterEmbeddingClient.class, () -> custom)
			.withBean(EmbeddingRequestValidator.class, () -> validator)
			.run((context) -> {
				assertThat(context.getBean(KlusterEmbeddingClient.class)).isSameAs(custom);
				assertThat(context.getBean(EmbeddingRequestValidator.class)).isSameAs(validator);
			});
	}

	@Test
	void userDefinedBatchClientWins() {
		KlusterBatchClient custom = org.mockito.Mockito.mock(KlusterBatchClient.class);
		this.contextRunner.withPropertyValues("kluster.api-key=sk-test")
			.withBean(KlusterBatchClient.class, () -> custom)
			.run((context) -> assertThat(context.getBean(KlusterBatchClient.class)).isSameAs(custom));
	}

	@Test
	void batchPropertiesBind() {
		this.contextRunner
			.withPropertyValues("kluster.api-key=sk-test", "kluster.batch.poll-interval=2s",
					"kluster.batch.max-poll-interval=1m", "kluster.batch.max-file-size=50MB",
					"kluster.batch.completion-window=72h")
			.run((context) -> {
				KlusterBatchSettings settings = context.getBean(KlusterProperties.class).getBatch().toSettings();
				assertThat(settings.pollInterval()).isEqualTo(Duration.ofSeconds(2));
				assertThat(settings.maxPollInterval()).isEqualTo(Duration.ofMinutes(1));
				assertThat(settings.maxFileSize().toMegabytes()).isEqualTo(50);
				assertThat(settings.completionWindow()).isEqualTo("72h");
			});
	}

	@Test
	void batchFileSizeOverKlustersLimitFailsStartUp() {
		this.contextRunner.withPropertyValues("kluster.api-key=sk-test", "kluster.batch.max-file-size=200MB")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("kluster.batch.max-file-size"));
	}

	@Test
	void whenEnabledPropertyIsFalseThenAutoConfigurationIsSkipped() {
		this.contextRunner.withPropertyValues("kluster.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(KlusterChatClient.class);
			assertThat(context).doesNotHaveBean(RequestValidator.class);
			assertThat(context).doesNotHaveBean(KlusterEmbeddingClient.class);
		});
	}

	@Test
	void whenWebClientIsNotOnTheClasspathThenAutoConfigurationIsSkipped() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WebClient.class))
			.withPropertyValues("kluster.api-key=sk-test")
			.run((context) -> assertThat(context).doesNotHaveBean(KlusterChatClient.class));
	}

	@Test
	void missingApiKeyFailsStartUpWithInstructions() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure().rootCause().isInstanceOf(KlusterApiKeyMissingException.class);
			FailureAnalysis analysis = new KlusterApiKeyMissingFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getAction()).contains("KLUSTER_API_KEY")
				.contains("kluster.api-key")
				.endsWith("To start without the kluster.ai client, set kluster.enabled=false.");
			assertThat(analysis.getDescription()).contains("API key");
		});
	}

	@Test
	void missingApiKeyOfAnApplicationProcessedAheadOfTimeSaysWhenKlusterEnabledCounts() {
		this.contextRunner.run((context) -> {
			FailureAnalysis analysis = new KlusterApiKeyMissingFailureAnalyzer(true)
				.analyze(context.getStartupFailure());
			assertThat(analysis.getAction()).contains("KLUSTER_API_KEY")
				.contains("set kluster.enabled=false when the application is processed ahead of time");
		});
	}

	@Test
	void blankApiKeyCountsAsMissing() {
		this.contextRunner.withPropertyValues("kluster.api-key=  ")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(KlusterApiKeyMissingException.class));
	}

	@Test
	void userDefinedClientWins() {
		KlusterChatClient custom = org.mockito.Mockito.mock(KlusterChatClient.class);
		this.contextRunner.withPropertyValues("kluster.api-key=sk-test")
			.withBean(KlusterChatClient.class, () -> custom)
			.run((context) -> assertThat(context.getBean(KlusterChatClient.class)).isSameAs(custom));
	}

	@Test
	void userDefinedValidatorWins() {
		RequestValidator custom = (request) -> request;
		this.contextRunner.withPropertyValues("kluster.api-key=sk-test")
			.withBean(RequestValidator.class, () -> custom)
			.run((context) -> assertThat(context.getBean(RequestValidator.class)).isSameAs(custom));
	}

	@Test
	void propertiesBindWithDurationsAndLists() {
		this.contextRunner
			.withPropertyValues("kluster.api-key=sk-test", "kluster.response-timeout=45s",
					"kluster.chat.model=deepseek-ai/DeepSeek-V3-0324", "kluster.chat.temperature=0.3",
					"kluster.chat.top-p=0.8", "kluster.chat.max-completion-tokens=512", "kluster.chat.stop=END,STOP",
					"kluster.validation.mode=drop", "kluster.validation.allowed-parameters=tools,tool_choice",
					"kluster.validation.hints.seed=not today")
			.run((context) -> {
				KlusterProperties properties = context.getBean(KlusterProperties.class);
				assertThat(properties.getResponseTimeout()).isEqualTo(Duration.ofSeconds(45));
				assertThat(properties.getChat().getModel()).isEqualTo("deepseek-ai/DeepSeek-V3-0324");
				assertThat(properties.getChat().getTopP()).isEqualTo(0.8);
				assertThat(properties.getChat().getMaxCompletionTokens()).isEqualTo(512);
				assertThat(properties.getChat().getStop()).containsExactly("END", "STOP");
				ValidationPolicy policy = ((KlusterRequestValidator) context.getBean(RequestValidator.class)).policy();
				assertThat(policy.mode()).isEqualTo(ValidationMode.DROP);
				assertThat(policy.unsupportedRequestParameters()).doesNotContain("tools", "tool_choice")
					.contains("n", "max_tokens", "parallel_tool_calls");
				assertThat(policy.hints()).containsEntry("seed", "not today").containsKey("max_tokens");
			});
	}

	@Test
	void defaultPropertiesMatchTheCompatibilityPage() {
		this.contextRunner.withPropertyValues("kluster.api-key=sk-test").run((context) -> {
			KlusterProperties properties = context.getBean(KlusterProperties.class);
			assertThat(properties.getBaseUrl()).isEqualTo("https://api.kluster.ai/v1");
			assertThat(properties.getValidation().getMode()).isEqualTo(ValidationMode.REJECT);
			assertThat(properties.getValidation().getUnsupportedRequestParameters()).containsExactly("store",
					"max_tokens", "n", "modalities", "response_format", "service_tier", "stream_options", "tools",
					"tool_choice", "parallel_tool_calls", "function_call", "functions");
			assertThat(properties.getValidation().getUnsupportedMessageParameters()).containsExactly("name",
					"refusal", "audio", "tool_calls", "function_call");
		});
	}

	@Test
	void unsupportedParameterListCanBeReplaced() {
		this.contextRunner.withPropertyValues("kluster.api-key=sk-test",
				"kluster.validation.unsupported-request-parameters=n,seed")
			.run((context) -> {
				RequestValidator validator = context.getBean(RequestValidator.class);
				ChatCompletionRequest request = ChatCompletionRequest.builder()
					.model("m")
					.message(dev.kluster.boot.model.ChatMessage.user("Hi"))
					.store(true)
					.build();
				assertThat(validator.validate(request)).isSameAs(request);
				assertThat(((KlusterRequestValidator) validator).policy().unsupportedRequestParameters())
					.containsExactly("n", "seed");
			});
	}

	@Test
	void baseUrlWithoutV1FailsStartUpWithAHint() {
		this.contextRunner.withPropertyValues("kluster.api-key=sk-test", "kluster.base-url=https://api.kluster.ai")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("kluster.base-url")
				.hasMessageContaining("https://api.kluster.ai/v1"));
	}

	@Test
	void baseUrlMustBeAbsoluteHttp() {
		for (String url : List.of("api.kluster.ai/v1", "ftp://api.kluster.ai/v1", "/v1", "https://exa mple/v1")) {
			this.contextRunner.withPropertyValues("kluster.api-key=sk-test", "kluster.base-url=" + url)
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("kluster.base-url"));
		}
	}

	@Test
	void baseUrlMayEndWithASlash() {
		assertThat(KlusterPropertyChecks.check("https://api.kluster.ai/v1/")).isEqualTo("https://api.kluster.ai/v1");
		assertThat(KlusterPropertyChecks.check("http://127.0.0.1:8080/v1")).isEqualTo("http://127.0.0.1:8080/v1");
	}

	@Test
	void apiKeyNeverAppearsInFailureMessages() {
		this.contextRunner.withPropertyValues("kluster.api-key=sk-very-secret", "kluster.base-url=nope")
			.run((context) -> {
				Throwable failure = context.getStartupFailure();
				for (Throwable ex = failure; ex != null; ex = ex.getCause()) {
					assertThat(String.valueOf(ex.getMessage())).doesNotContain("sk-very-secret");
				}
			});
	}

}
