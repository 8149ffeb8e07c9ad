package dev.kluster.boot.resilience;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;

import dev.kluster.boot.batch.KlusterBatchClient;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.error.KlusterInvalidResponseException;
import dev.kluster.boot.transport.KlusterWebClientCustomizer;
import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionChunk;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.Role;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.http.client.reactive.ClientHttpConnector;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that every answer the client cannot use fails with the documented
 * {@link KlusterInvalidResponseException}, never completes empty and is never taken
 * for a connection failure, and that a {@link Error} passes through untouched.
 */
class InvalidAnswerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private static final String COMPLETION_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";

	@Test
	void emptyCompletionIsAnInvalidResponse() {
		try (LocalKluster kluster = LocalKluster.start()) {
			kluster.byDefault(LocalKluster.json(200, ""));
			expectInvalid(kluster.baseUrl(), (client) -> client.chat("Hi"), "empty");
			expectInvalid(kluster.baseUrl(), (client) -> client.chat(request()), "empty");
			assertThat(kluster.requests()).isEqualTo(2);
		}
	}

	@Test
	void completionThatIsJsonNullIsAnInvalidResponse() {
		try (LocalKluster kluster = LocalKluster.start()) {
			kluster.byDefault(LocalKluster.json(200, "null"));
			expectInvalid(kluster.baseUrl(), (client) -> client.chat("Hi"), "null");
		}
	}

	@Test
	void streamChunkThatIsJsonNullIsAnInvalidResponse() {
		try (LocalKluster kluster = LocalKluster.start()) {
			kluster.byDefault((request, response) -> response.header("Content-Type", "text/event-stream")
				.sendString(Mono.just("data: null\n\ndata: [DONE]\n\n"))
				.then());
			expectInvalid(kluster.baseUrl(), (client) -> client.stream("Hi"), "null");
		}
	}

	@Test
	void emptyOrNullModelListIsAnInvalidResponse() {
		try (LocalKluster kluster = LocalKluster.start()) {
			kluster.then(LocalKluster.json(200, ""), LocalKluster.json(200, "null"));
			expectInvalid(kluster.baseUrl(), KlusterChatClient::models, "models");
			expectInvalid(kluster.baseUrl(), KlusterChatClient::models, "models");
		}
	}

	@Test
	void emptyOrNullBatchIsAnInvalidResponse() {
		try (LocalKluster kluster = LocalKluster.start()) {
			kluster.then(LocalKluster.json(200, ""), LocalKluster.json(200, "null"), LocalKluster.json(200, ""));
			KlusterContexts.runner(kluster.baseUrl()).run((context) -> {
				KlusterBatchClient batches = context.getBean(KlusterBatchClient.class);
				for (Publisher<?> call : List.of(batches.retrieve("batch_1"), batches.cancel("batch_1"),
						batches.file("file_1"))) {
					StepVerifier.create(call)
						.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(KlusterInvalidResponseException.class)
							.hasMessageContaining("kluster.ai"))
						.verify(TIMEOUT);
				}
			});
		}
	}

	@Test
	void headerOfAHundredKilobytesIsAnInvalidResponseNotAConnectionFailure() throws IOException {
		String completion = LocalKluster.COMPLETION.replace("\n", "");
		try (RawServer server = RawServer.answering(COMPLETION_HEAD + "X-Padding: " + "a".repeat(100 * 1024)
				+ "\r\nContent-Length: " + completion.length() + "\r\n\r\n" + completion)) {
			expectInvalid(server.baseUrl(), (client) -> client.chat("Hi"), "kluster.ai");
			// Not retried as a connection failure would be: the server did answer.
			assertThat(server.connections()).isEqualTo(1);
		}
	}

	@Test
	void bytesThatAreNotHttpAreAnInvalidResponseNotAConnectionFailure() throws IOException {
		try (RawServer server = RawServer.answering("SSH-2.0-OpenSSH_9.6\r\n\u0000\u0001garbage\r\n\r\n")) {
			expectInvalid(server.baseUrl(), (client) -> client.chat("Hi"), "kluster.ai");
			assertThat(server.connections()).isEqualTo(1);
		}
	}

	@Test
	void brokenChunkedFramingInTheMiddleOfAStreamIsAnInvalidResponseAfterTheChunksBeforeIt() throws IOException {
		String event = "data: " + LocalKluster.CHUNK + "\n\n";
		String chunk = Integer.toHexString(event.length()) + "\r\n" + event + "\r\n";
		try (RawServer server = RawServer.answering("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
				+ "Transfer-Encoding: chunked\r\n\r\n" + chunk + chunk + "not-a-size\r\n" + event + "\r\n")) {
			KlusterContexts.runner(server.baseUrl())
				.run((context) -> StepVerifier.create(context.getBean(KlusterChatClient.class).stream("Hi"))
					.expectNext("word ", "word ")
					.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(KlusterInvalidResponseException.class)
						.hasMessageContaining("kluster.ai"))
					.verify(TIMEOUT));
			assertThat(server.connections()).isEqualTo(1);
		}
	}

	@Test
	void errorIsNeitherWrappedNorRetried() {
		try (LocalKluster kluster = LocalKluster.start()) {
			AtomicInteger attempts = new AtomicInteger();
			OutOfMemoryError error = new OutOfMemoryError("Direct buffer memory");
			KlusterWebClientCustomizer failing = (builder) -> builder.filter((request, next) -> {
				attempts.incrementAndGet();
				return Mono.error(error);
			});
			ApplicationContextRunner runner = KlusterContexts.runner(kluster.baseUrl())
				.withBean(KlusterWebClientCustomizer.class, () -> failing)
				.withPropertyValues("kluster.retry.max-attempts=3");
			runner.run((context) -> assertEveryCallFailsWith(context, error));
			assertThat(attempts).hasValue(4);
			assertThat(kluster.requests()).isZero();
		}
	}

	// WebClient wraps what its connector fails with into a WebClientRequestException, a
	// connection failure that would be retried: the Error inside it is what comes out.
	@Test
	void errorOfTheConnectorIsNeitherWrappedNorRetried() {
		AtomicInteger attempts = new AtomicInteger();
		OutOfMemoryError error = new OutOfMemoryError("Direct buffer memory");
		ClientHttpConnector failing = (method, uri, callback) -> {
			attempts.incrementAndGet();
			return Mono.error(error);
		};
		KlusterContexts.runner("http://127.0.0.1:1/v1")
			.withBean(ClientHttpConnector.class, () -> failing)
			.withPropertyValues("kluster.retry.max-attempts=3", "kluster.retry.initial-backoff=1ms")
			.run((context) -> assertEveryCallFailsWith(context, error));
		assertThat(attempts).hasValue(4);
	}

	// Chat, stream, models and batch: the Error itself, whichever client meets it.
	private static void assertEveryCallFailsWith(ApplicationContext context, Error error) {
		KlusterChatClient client = context.getBean(KlusterChatClient.class);
		for (Publisher<?> call : List.of(client.chat("Hi"), client.stream("Hi"), client.models(),
				context.getBean(KlusterBatchClient.class).retrieve("batch_1"))) {
			StepVerifier.create(call).expectErrorSatisfies((ex) -> assertThat(ex).isSameAs(error)).verify(TIMEOUT);
		}
	}

	@Test
	void unknownRoleAndFinishReasonAreKeptAsSent() {
		String completion = LocalKluster.COMPLETION.replace("\"assistant\"", "\"critic\"")
			.replace("\"stop\"", "\"moderation\"");
		String chunk = LocalKluster.CHUNK.replace("\"delta\":{", "\"delta\":{\"role\":\"critic\",")
			.replace("}}]}", "},\"finish_reason\":\"moderation\"}]}");
		try (LocalKluster kluster = LocalKluster.start()) {
			kluster.then(LocalKluster.json(200, completion), (request, response) -> response
				.header("Content-Type", "text/event-stream")
				.sendString(Mono.just("data: " + chunk + "\n\ndata: [DONE]\n\n"))
				.then());
			KlusterContexts.runner(kluster.baseUrl()).run((context) -> {
				KlusterChatClient client = context.getBean(KlusterChatClient.class);
				StepVerifier.create(client.chat(request())).assertNext((answer) -> {
					ChatCompletion.Choice choice = answer.choices().get(0);
					assertThat(choice.message().role().wireName()).isEqualTo("critic");
					assertThat(choice.message().role()).isNotEqualTo(Role.ASSISTANT)
						.isEqualTo(Role.of("critic"))
						.hasToString("critic");
					assertThat(choice.finishReason()).isEqualTo("moderation");
					assertThat(answer.text()).isEqualTo("Hello there");
				}).expectComplete().verify(TIMEOUT);
				StepVerifier.create(client.stream(request())).assertNext((answer) -> {
					ChatCompletionChunk.Choice choice = answer.choices().get(0);
					assertThat(choice.delta().role()).isEqualTo(Role.of("critic"));
					assertThat(choice.finishReason()).isEqualTo("moderation");
					assertThat(answer.text()).isEqualTo("word ");
				}).expectComplete().verify(TIMEOUT);
			});
		}
	}

	private static ChatCompletionRequest request() {
		return ChatCompletionRequest.builder().message(ChatMessage.user("Hi")).build();
	}

	private static void expectInvalid(String baseUrl, Function<KlusterChatClient, Publisher<?>> call,
			String messagePart) {
		Consumer<Throwable> invalid = (ex) -> assertThat(ex).isInstanceOf(KlusterInvalidResponseException.class)
			.hasMessageContaining(messagePart)
			.hasMessageNotContaining(LocalKluster.KEY);
		KlusterContexts.runner(baseUrl)
			.run((context) -> StepVerifier.create(call.apply(context.getBean(KlusterChatClient.class)))
				.expectErrorSatisfies(invalid)
				.verify(TIMEOUT));
	}

}
