package dev.kluster.docs.testing;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.kluster.boot.client.ChatDefaults;
import dev.kluster.boot.client.DefaultKlusterChatClient;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.test.KlusterStandInExtension;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterRetry;
import dev.kluster.boot.transport.KlusterTimeouts;
import dev.kluster.boot.validation.KlusterValidationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Runs testing.md's "no request was sent" fragment.
 */
class NoRequestSentTests {

	@RegisterExtension
	static KlusterStandInExtension extension = new KlusterStandInExtension();

	@Test
	void aRefusedRequestNeverReachesTheStandIn(KlusterStandIn standIn) {
		KlusterConnection connection = KlusterConnection.builder()
			.apiKey("test-key")
			.baseUrl(standIn.baseUrl())
			.build();
		KlusterChatClient client = DefaultKlusterChatClient.builder(connection)
			.defaults(ChatDefaults.NONE)
			.timeouts(KlusterTimeouts.of(Duration.ofSeconds(10)))
			.retry(KlusterRetry.none())
			.build();
		ChatCompletionRequest requestWithN = ChatCompletionRequest.builder()
			.model("klusterai/Meta-Llama-3.1-8B-Instruct-Turbo")
			.message(ChatMessage.user("Hi"))
			.n(2)
			.build();
		// tag::testing-no-request[]
		int before = standIn.requestCount();
		assertThatExceptionOfType(KlusterValidationException.class)
			.isThrownBy(() -> client.chat(requestWithN).block());
		assertThat(standIn.requestCount()).isEqualTo(before);
		// end::testing-no-request[]
	}

}
