package dev.kluster.boot.client;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.KlusterOptions;
import dev.kluster.boot.model.QueuedChatCompletion;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.test.KlusterStandInExtension;
import dev.kluster.boot.validation.KlusterValidationException;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterTimeouts;
import dev.kluster.boot.transport.KlusterRetry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DefaultKlusterChatClient#submitAsync} against the kluster.ai stand-in.
 */
class QueuedChatCompletionTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final String MODEL = "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo";

	@RegisterExtension
	static final KlusterStandInExtension standInExtension = new KlusterStandInExtension();

	private final JsonMapper jsonMapper = JsonMapper.shared();

	private KlusterStandIn standIn;

	private KlusterChatClient client;

	@BeforeEach
	void createClient(KlusterStandIn standIn) {
		this.standIn = standIn;
		KlusterConnection connection = KlusterConnection.builder()
			.apiKey("sk-test")
			.baseUrl(standIn.baseUrl())
			.jsonMapper(this.jsonMapper)
			.build();
		this.client = DefaultKlusterChatClient.builder(connection)
			.defaults(ChatDefaults.model(MODEL))
			.timeouts(KlusterTimeouts.of(TIMEOUT))
			.retry(KlusterRetry.none())
			.build();
	}

	@Test
	void submitAsyncQueuesTheRequestAndReturnsAHandleRatherThanAnAnswer() {
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.message(ChatMessage.user("Summarise the archive"))
			.klusterOptions(KlusterOptions.builder().completionWindow(KlusterOptions.CompletionWindow.HOURS_48).build())
			.build();
		QueuedChatCompletion queued = this.client.submitAsync(request).block(TIMEOUT);
		assertThat(queued.id()).startsWith("chatcmpl-");
		assertThat(queued.model()).isEqualTo(MODEL);
		assertThat(queued.notice()).isEqualTo(KlusterStandIn.QUEUED_ANSWER);
		assertThat(queued.requestId()).isEqualTo(this.standIn.lastRequest().requestId());
		JsonNode sent = this.standIn.lastRequest().json();
		assertThat(sent.path("metadata").path("@kluster.ai").path("async").asBoolean()).isTrue();
		assertThat(sent.path("metadata").path("@kluster.ai").path("completion_window").asString()).isEqualTo("48h");
		assertThat(sent.has("stream")).isFalse();
	}

	@Test
	void submitAsyncValidatesBeforeSending() {
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.message(ChatMessage.user("hi"))
			.maxTokens(5)
			.build();
		StepVerifier.create(this.client.submitAsync(request))
			.expectError(KlusterValidationException.class)
			.verify(TIMEOUT);
		assertThat(this.standIn.requestCount()).isZero();
	}

}
