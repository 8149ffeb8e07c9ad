package dev.kluster.boot.resilience;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Publisher;

import dev.kluster.boot.batch.KlusterBatchClient;
import dev.kluster.boot.error.KlusterBatchNotCompletedException;
import dev.kluster.boot.error.KlusterAuthenticationException;
import dev.kluster.boot.model.BatchRequest;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.error.KlusterException;
import dev.kluster.boot.error.KlusterInvalidResponseException;
import dev.kluster.boot.error.KlusterServerException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that a server which echoes the request's {@code Authorization} header back, in
 * an error body of any shape, inside a stream or as an unreadable answer, gets the key
 * into no exception message, no stack trace, no log line (at {@code TRACE}) and no
 * observation.
 */
@ExtendWith(OutputCaptureExtension.class)
class EchoedKeyTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private static final String[] TRACED = { "dev.kluster", "org.springframework.web.reactive.function.client",
			"reactor.netty", "org.springframework.core.codec", "org.springframework.http.codec",
			"org.springframework.web.HttpLogging" };

	private final LocalKluster kluster = LocalKluster.start();

	private final List<Observation.Context> observed = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() {
		this.kluster.close();
	}

	@Test
	void jsonErrorBodyEchoingTheKeyIsRedacted(CapturedOutput output) {
		this.kluster.then(echo(401, "application/json", (authorization) -> "{\"error\":{\"message\":"
				+ "\"Incorrect API key provided: " + authorization + "\",\"type\":\"" + authorization + "\","
				+ "\"param\":\"" + key() + "\",\"code\":\"invalid_api_key\"}}"));
		Throwable failure = failureOf((client) -> client.chat("Hi"), "kluster.retry.enabled=false");
		assertThat(failure).isInstanceOf(KlusterAuthenticationException.class)
			.hasMessageContaining("Incorrect API key provided: Bearer ***");
		KlusterAuthenticationException authentication = (KlusterAuthenticationException) failure;
		assertThat(authentication.error().message()).isEqualTo("Incorrect API key provided: Bearer ***");
		assertThat(authentication.error().type()).isEqualTo("Bearer ***");
		assertThat(authentication.error().param()).isEqualTo("***");
		assertThat(authentication.requestId()).isEqualTo("req-Bearer ***");
		assertKeyNowhere(failure, output);
	}

	@Test
	void plainTextErrorBodyEchoingTheKeyIsRedacted(CapturedOutput output) {
		this.kluster.then(echo(401, "text/plain", (authorization) -> "Unauthorized: header was " + authorization));
		Throwable failure = failureOf((client) -> client.chat("Hi"), "kluster.retry.enabled=false");
		assertThat(failure).isInstanceOf(KlusterAuthenticationException.class)
			.hasMessageContaining("non-JSON body: Unauthorized: header was Bearer ***");
		assertKeyNowhere(failure, output);
	}

	@Test
	void htmlErrorPageEchoingTheKeyIsRedacted(CapturedOutput output) {
		this.kluster.then(echo(502, "text/html", (authorization) -> "<html><body><h1>502 Bad Gateway</h1><pre>"
				+ "authorization: " + authorization + "</pre></body></html>"));
		Throwable failure = failureOf((client) -> client.chat("Hi"), "kluster.retry.enabled=false");
		assertThat(failure).isInstanceOf(KlusterServerException.class).hasMessageContaining("Bearer ***");
		assertKeyNowhere(failure, output);
	}

	@Test
	void keyEchoedWithoutItsBearerPrefixIsRedactedToo(CapturedOutput output) {
		this.kluster.then(echo(401, "application/json",
				(authorization) -> "{\"detail\":\"key " + key() + " was revoked\"}"));
		Throwable failure = failureOf((client) -> client.chat("Hi"), "kluster.retry.enabled=false");
		assertThat(failure).hasMessageContaining("key *** was revoked");
		assertKeyNowhere(failure, output);
	}

	@Test
	void errorEventInsideAStreamEchoingTheKeyIsRedacted(CapturedOutput output) {
		this.kluster.then(stream((authorization) -> List.of(LocalKluster.CHUNK,
				"{\"object\":\"error\",\"message\":\"token " + authorization + " expired\",\"code\":401}")));
		Throwable failure = failureOf((client) -> client.stream("Hi"));
		assertThat(failure).isInstanceOf(KlusterInvalidResponseException.class)
			.hasMessageContaining("token Bearer *** expired");
		assertKeyNowhere(failure, output);
	}

	@Test
	void unreadableStreamChunkEchoingTheKeyIsRedacted(CapturedOutput output) {
		this.kluster.then(stream((authorization) -> List.of(LocalKluster.CHUNK, key() + " " + authorization)));
		Throwable failure = failureOf((client) -> client.stream("Hi"));
		assertThat(failure).isInstanceOf(KlusterInvalidResponseException.class)
			.hasMessageContaining("not a chat.completion.chunk: *** Bearer ***");
		assertKeyNowhere(failure, output);
	}

	@Test
	void unreadableCompletionEchoingTheKeyIsRedacted(CapturedOutput output) {
		this.kluster.then(echo(200, "application/json", (authorization) -> key() + " " + authorization));
		Throwable failure = failureOf((client) -> client.chat("Hi"));
		assertThat(failure).isInstanceOf(KlusterInvalidResponseException.class);
		assertKeyNowhere(failure, output);
	}

	@Test
	void retriedRateLimitEchoingTheKeyLogsItsWarningRedacted(CapturedOutput output) {
		this.kluster.then(echo(429, "application/json",
				(authorization) -> "{\"error\":{\"message\":\"Too many requests for " + authorization + "\"}}"),
				LocalKluster.json(200, LocalKluster.COMPLETION));
		KlusterContexts.withTraceLogging(() -> runner().run((context) -> StepVerifier
			.create(context.getBean(KlusterChatClient.class).chat("Hi"))
			.expectNext("Hello there")
			.expectComplete()
			.verify(TIMEOUT)), TRACED);
		assertThat(output).contains("retrying in").contains("Too many requests for Bearer ***");
		assertThat(output).doesNotContain(key());
		assertObservationsWithoutKey();
	}

	@Test
	void modelsErrorEchoingTheKeyIsRedacted(CapturedOutput output) {
		this.kluster.then(echo(403, "application/json",
				(authorization) -> "{\"error\":{\"message\":\"" + authorization + " may not list models\"}}"));
		Throwable failure = failureOf(KlusterChatClient::models, "kluster.retry.enabled=false");
		assertThat(failure).hasMessageContaining("Bearer *** may not list models");
		assertKeyNowhere(failure, output);
	}

	@Test
	void unreadableModelListEchoingTheKeyIsRedacted(CapturedOutput output) {
		this.kluster.then(echo(200, "application/json", (authorization) -> key() + " " + authorization));
		Throwable failure = failureOf(KlusterChatClient::models);
		assertThat(failure).isInstanceOf(KlusterInvalidResponseException.class);
		assertKeyNowhere(failure, output);
	}

	@Test
	void batchAnswersEchoingTheKeyAreRedacted(CapturedOutput output) {
		this.kluster.then(echo(401, "application/json",
				(authorization) -> "{\"error\":{\"message\":\"Bad token " + authorization + "\"}}"),
				echo(200, "application/json", (authorization) -> key() + " " + authorization),
				echo(200, "application/jsonl", (authorization) -> "{\"echo\":\"" + authorization + "\"\n"));
		List<Throwable> failures = new CopyOnWriteArrayList<>();
		KlusterContexts.withTraceLogging(() -> runner().withPropertyValues("kluster.batch.max-poll-retries=0")
			.run((context) -> {
				KlusterBatchClient batches = context.getBean(KlusterBatchClient.class);
				for (Publisher<?> call : List.of(batches.retrieve("batch_1"),
						batches.retrieve("batch_1"), batches.readResults("file_1"))) {
					StepVerifier.create(call).expectErrorSatisfies(failures::add).verify(TIMEOUT);
				}
			}), TRACED);
		assertThat(failures).hasSize(3);
		assertThat(failures.get(0)).isInstanceOf(KlusterAuthenticationException.class)
			.hasMessageContaining("Bad token Bearer ***");
		assertThat(failures.get(1)).isInstanceOf(KlusterInvalidResponseException.class);
		assertThat(failures.get(2)).isInstanceOf(KlusterInvalidResponseException.class)
			.hasMessageContaining("Bearer ***");
		for (Throwable failure : failures) {
			assertKeyNowhere(failure, output);
		}
	}

	// Answers that parse are read without the codecs, which would log them at TRACE; a
	// batch's errors are server text that goes into the message of its failure.
	@Test
	void answersThatParseEchoingTheKeyReachNoLogNorMessage(CapturedOutput output) {
		this.kluster.then(
				echo(200, "application/json",
						(authorization) -> "{\"object\":\"list\",\"data\":[{\"id\":\"" + authorization
								+ "\",\"object\":\"model\"}]}"),
				LocalKluster.json(200, "{\"id\":\"file_1\",\"object\":\"file\",\"purpose\":\"batch\"}"),
				LocalKluster.json(200, "{\"id\":\"batch_1\",\"object\":\"batch\",\"status\":\"validating\"}"),
				echo(200, "application/json",
						(authorization) -> "{\"id\":\"batch_1\",\"object\":\"batch\",\"status\":\"failed\","
								+ "\"errors\":{\"object\":\"list\",\"data\":[{\"code\":\"invalid\","
								+ "\"message\":\"bad header " + authorization + "\"}]}}"));
		List<Throwable> failures = new CopyOnWriteArrayList<>();
		KlusterContexts.withTraceLogging(() -> runner().run((context) -> {
			StepVerifier.create(context.getBean(KlusterChatClient.class).models())
				.expectNextCount(1)
				.expectComplete()
				.verify(TIMEOUT);
			BatchRequest request = BatchRequest.of("q-1",
					ChatCompletionRequest.builder().message(ChatMessage.user("Hi")).build());
			StepVerifier.create(context.getBean(KlusterBatchClient.class).run(Flux.just(request)))
				.expectErrorSatisfies(failures::add)
				.verify(TIMEOUT);
		}), TRACED);
		assertThat(failures).singleElement()
			.isInstanceOf(KlusterBatchNotCompletedException.class)
			.satisfies((failure) -> assertThat(failure.getMessage()).contains("bad header Bearer ***"));
		assertKeyNowhere(failures.get(0), output);
	}

	private Throwable failureOf(Function<KlusterChatClient, Publisher<?>> call,
			String... properties) {
		Throwable[] failure = new Throwable[1];
		KlusterContexts.withTraceLogging(() -> runner().withPropertyValues(properties)
			.run((context) -> StepVerifier.create(call.apply(context.getBean(KlusterChatClient.class)))
				.thenConsumeWhile((item) -> true)
				.expectErrorSatisfies((ex) -> failure[0] = ex)
				.verify(TIMEOUT)), TRACED);
		assertThat(failure[0]).isInstanceOf(KlusterException.class);
		return failure[0];
	}

	private ApplicationContextRunner runner() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

			@Override
			public void onStop(Observation.Context context) {
				EchoedKeyTests.this.observed.add(context);
			}

		});
		return KlusterContexts.runner(this.kluster.baseUrl())
			.withConfiguration(
					AutoConfigurations.of(ObservationAutoConfiguration.class, WebClientObservationAutoConfiguration.class))
			.withBean(ObservationRegistry.class, () -> registry);
	}

	private void assertKeyNowhere(Throwable failure, CapturedOutput output) {
		assertThat(failure.getMessage()).doesNotContain(key());
		assertThat(failure.toString()).doesNotContain(key());
		StringWriter trace = new StringWriter();
		failure.printStackTrace(new PrintWriter(trace));
		assertThat(trace.toString()).doesNotContain(key()).doesNotContain("7f3a9c");
		for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
			assertThat(String.valueOf(cause.getMessage())).doesNotContain(key());
		}
		assertThat(output).doesNotContain(key()).doesNotContain("7f3a9c");
		assertObservationsWithoutKey();
	}

	private void assertObservationsWithoutKey() {
		assertThat(this.observed).isNotEmpty();
		for (Observation.Context context : this.observed) {
			assertThat(context.getAllKeyValues().toString()).as(context.getName()).doesNotContain(key());
			Throwable error = context.getError();
			if (error != null) {
				StringWriter trace = new StringWriter();
				error.printStackTrace(new PrintWriter(trace));
				assertThat(trace.toString()).as(context.getName()).doesNotContain(key());
			}
		}
	}

	private static String key() {
		return LocalKluster.KEY;
	}

	/** An answer whose body quotes the request's {@code Authorization} header. */
	private static LocalKluster.Behavior echo(int status, String contentType, Function<String, String> body) {
		return (request, response) -> {
			String authorization = request.requestHeaders().get("Authorization");
			return response.status(status)
				.header("Content-Type", contentType)
				.header("x-request-id", "req-" + authorization)
				.sendString(Mono.just(body.apply(authorization)))
				.then();
		};
	}

	/** A stream whose events' data quote the request's {@code Authorization} header. */
	private static LocalKluster.Behavior stream(Function<String, List<String>> events) {
		return (request, response) -> {
			List<String> data = events.apply(request.requestHeaders().get("Authorization"));
			return response.header("Content-Type", "text/event-stream")
				.sendString(Flux.fromIterable(data).map((event) -> "data: " + event + "\n\n"))
				.then();
		};
	}

}
