package dev.kluster.boot.resilience;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kluster.boot.error.KlusterApiException;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.error.KlusterConnectionException;
import dev.kluster.boot.error.KlusterException;
import dev.kluster.boot.error.KlusterInvalidResponseException;
import dev.kluster.boot.error.KlusterQueueTimeoutException;
import dev.kluster.boot.error.KlusterResponseTooLargeException;
import dev.kluster.boot.error.KlusterServerException;
import dev.kluster.boot.error.KlusterTimeoutException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of how the auto-configured client fails, or recovers, when kluster.ai misbehaves:
 * each asserts the typed outcome and that the key appears nowhere.
 */
@ExtendWith(OutputCaptureExtension.class)
class FaultTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	/** A server delay no test outlives. */
	private static final Duration NEVER = Duration.ofDays(1);

	private final LocalKluster kluster = LocalKluster.start();

	@AfterEach
	void close() {
		this.kluster.close();
	}

	private void run(Consumer<KlusterChatClient> test, String... properties) {
		KlusterContexts.runner(this.kluster.baseUrl())
			.withPropertyValues(properties)
			.run((context) -> test.accept(context.getBean(KlusterChatClient.class)));
	}

	private static Consumer<Throwable> typed(Class<? extends KlusterException> type, Consumer<Throwable> more) {
		return (ex) -> {
			assertThat(ex).isInstanceOf(type).hasMessageNotContaining(LocalKluster.KEY);
			assertThat(ex.toString()).doesNotContain(LocalKluster.KEY);
			more.accept(ex);
		};
	}

	@Test
	void connectionRefusedIsRetriedThenAConnectionException(CapturedOutput output) throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			port = socket.getLocalPort();
		}
		KlusterContexts.runner("http://127.0.0.1:" + port + "/v1").run((context) -> StepVerifier
			.create(context.getBean(KlusterChatClient.class).chat("Hi"))
			.expectErrorSatisfies(typed(KlusterConnectionException.class,
					(ex) -> assertThat(((KlusterException) ex).attempts()).isEqualTo(3)))
			.verify(TIMEOUT));
		assertThat(output).contains("attempt 2 of 3").doesNotContain(LocalKluster.KEY);
	}

	@Test
	void resetBeforeHeadersIsRetriedIntoASuccess(CapturedOutput output) {
		this.kluster.then(LocalKluster.resetBeforeHeaders());
		run((client) -> StepVerifier.create(client.chat("Hi")).expectNext("Hello there").expectComplete().verify(TIMEOUT));
		assertThat(this.kluster.requests()).isEqualTo(2);
		assertThat(output).contains("attempt 1 of 3").doesNotContain(LocalKluster.KEY);
	}

	@Test
	void resetInTheMiddleOfAStreamFailsWithoutRetry() {
		this.kluster.then(LocalKluster.resetAfterChunks(2));
		run((client) -> StepVerifier.create(client.stream("Hi"))
			.expectNextCount(2)
			.expectErrorSatisfies(typed(KlusterConnectionException.class,
					(ex) -> assertThat(((KlusterException) ex).attempts()).isEqualTo(1)))
			.verify(TIMEOUT));
		assertThat(this.kluster.requests()).isEqualTo(1);
	}

	@Test
	void streamWithoutDoneIsAnInvalidResponse() {
		this.kluster.then(LocalKluster.sse(2, false, Duration.ZERO));
		run((client) -> StepVerifier.create(client.stream("Hi"))
			.expectNextCount(2)
			.expectErrorSatisfies(typed(KlusterInvalidResponseException.class,
					(ex) -> assertThat(ex).hasMessageContaining("[DONE]")))
			.verify(TIMEOUT));
	}

	@Test
	void malformedChunkIsAnInvalidResponse() {
		this.kluster.then((request, response) -> response.header("Content-Type", "text/event-stream")
			.sendString(Mono.just("data: " + LocalKluster.CHUNK + "\n\ndata: {not json\n\ndata: [DONE]\n\n"))
			.then());
		run((client) -> StepVerifier.create(client.stream("Hi"))
			.expectNextCount(1)
			.expectErrorSatisfies(typed(KlusterInvalidResponseException.class,
					(ex) -> assertThat(ex).hasMessageContaining("{not json")))
			.verify(TIMEOUT));
	}

	@Test
	void htmlErrorPageFromAGatewayIsReadable() {
		String page = "<html><head><style>body{}</style></head><body><h1>502 Bad Gateway</h1>nginx</body></html>";
		this.kluster.byDefault(LocalKluster.html(502, page));
		run((client) -> StepVerifier.create(client.chat("Hi"))
			.expectErrorSatisfies(typed(KlusterServerException.class, (ex) -> assertThat(ex)
				.hasMessageContaining("HTTP 502: non-JSON body: 502 Bad Gateway nginx")
				.hasMessageNotContaining("<h1>")))
			.verify(TIMEOUT));
		assertThat(this.kluster.requests()).isEqualTo(3);
	}

	@Test
	void answerSlowerThanTheResponseTimeout() {
		this.kluster.byDefault(LocalKluster.stall());
		run((client) -> StepVerifier.create(client.chat("Hi"))
			.expectErrorSatisfies(typed(KlusterTimeoutException.class,
					(ex) -> assertThat(((KlusterTimeoutException) ex).limit()).isEqualTo("kluster.response-timeout")))
			.verify(TIMEOUT), "kluster.response-timeout=300ms");
		// A slow answer is not retried: a second attempt would pay for the generation twice.
		assertThat(this.kluster.requests()).isEqualTo(1);
	}

	@Test
	void streamSilentForLongerThanTheIdleTimeout() {
		this.kluster.then(LocalKluster.stallAfterChunks(2));
		run((client) -> StepVerifier.create(client.stream("Hi"))
			.expectNextCount(2)
			.expectErrorSatisfies(typed(KlusterTimeoutException.class,
					(ex) -> assertThat(((KlusterTimeoutException) ex).limit())
						.isEqualTo("kluster.stream-idle-timeout")))
			.verify(TIMEOUT), "kluster.stream-idle-timeout=300ms");
	}

	@Test
	void streamWhoseFirstChunkIsLateHitsTheResponseTimeout() {
		this.kluster.then(LocalKluster.stallAfterChunks(0));
		run((client) -> StepVerifier.create(client.stream("Hi"))
			.expectErrorSatisfies(typed(KlusterTimeoutException.class,
					(ex) -> assertThat(((KlusterTimeoutException) ex).limit()).isEqualTo("kluster.response-timeout")))
			.verify(TIMEOUT), "kluster.response-timeout=300ms", "kluster.stream-idle-timeout=10s");
	}

	@Test
	void retriesThatOutlastTheTotalTimeoutHitIt() {
		this.kluster.byDefault(LocalKluster.json(503, "{\"error\":{\"message\":\"busy\"}}"));
		run((client) -> StepVerifier.create(client.chat("Hi"))
			.expectErrorSatisfies(typed(KlusterTimeoutException.class,
					(ex) -> assertThat(((KlusterTimeoutException) ex).limit()).isEqualTo("kluster.total-timeout")))
			.verify(TIMEOUT), "kluster.total-timeout=500ms", "kluster.retry.max-attempts=100",
				"kluster.retry.initial-backoff=100ms", "kluster.retry.max-backoff=100ms");
	}

	@Test
	void streamLongerThanTheTotalTimeoutHitsIt() {
		// A stream that never ends: only the total timeout can end it.
		this.kluster.then(LocalKluster.endlessStream(Duration.ofMillis(20)));
		run((client) -> StepVerifier.create(client.stream("Hi"))
			.thenConsumeWhile((word) -> true)
			.expectErrorSatisfies(typed(KlusterTimeoutException.class,
					(ex) -> assertThat(((KlusterTimeoutException) ex).limit()).isEqualTo("kluster.total-timeout")))
			.verify(TIMEOUT), "kluster.total-timeout=400ms", "kluster.stream-idle-timeout=10s");
	}

	@Test
	void redirectThatIsNotFollowedIsAnError() {
		this.kluster.then(LocalKluster.redirect(307, "https://elsewhere.example/v1/chat/completions"));
		// Reactor Netty's own default: redirects are not followed.
		KlusterContexts.runner(this.kluster.baseUrl())
			.withBean(ClientHttpConnector.class, () -> new ReactorClientHttpConnector(HttpClient.create()))
			.run((context) -> StepVerifier.create(context.getBean(KlusterChatClient.class).chat("Hi"))
				.expectErrorSatisfies(typed(KlusterApiException.class, (ex) -> {
					assertThat(ex).hasMessageContaining("HTTP 307");
					assertThat(((KlusterException) ex).attempts()).isEqualTo(1);
				}))
				.verify(TIMEOUT));
		assertThat(this.kluster.requests()).isEqualTo(1);
	}

	@Test
	void connectSlowerThanTheConnectTimeout() throws IOException {
		// A listening socket that never accepts, with its backlog filled: further connection
		// attempts get no answer at all, which is what a connect timeout is for.
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			java.util.List<java.net.Socket> fillers = new java.util.ArrayList<>();
			try {
				for (int i = 0; i < 8; i++) {
					java.net.Socket filler = new java.net.Socket();
					try {
						filler.connect(socket.getLocalSocketAddress(), 100);
						fillers.add(filler);
					}
					catch (IOException ex) {
						filler.close();
						break;
					}
				}
				KlusterContexts.runner("http://127.0.0.1:" + socket.getLocalPort() + "/v1")
					.withPropertyValues("kluster.connect-timeout=200ms", "kluster.retry.max-attempts=2")
					.run((context) -> StepVerifier.create(context.getBean(KlusterChatClient.class).chat("Hi"))
						.expectErrorSatisfies(typed(KlusterTimeoutException.class, (ex) -> {
							assertThat(((KlusterTimeoutException) ex).limit()).isEqualTo("kluster.connect-timeout");
							assertThat(((KlusterException) ex).attempts()).isEqualTo(2);
						}))
						.verify(TIMEOUT));
			}
			finally {
				for (java.net.Socket filler : fillers) {
					filler.close();
				}
			}
		}
	}

	@Test
	void answerOverTheSizeLimitIsRefused() {
		this.kluster.then(LocalKluster.largeCompletion(64 * 1024));
		run((client) -> StepVerifier.create(client.chat("Hi"))
			.expectErrorSatisfies(typed(KlusterResponseTooLargeException.class,
					(ex) -> assertThat(ex).hasMessageContaining("kluster.max-response-size")))
			.verify(TIMEOUT), "kluster.max-response-size=16KB");
		assertThat(this.kluster.requests()).isEqualTo(1);
	}

	@Test
	void streamEventOverTheSizeLimitIsRefusedWhileSmallEventsPass() {
		this.kluster.then(LocalKluster.largeChunk(64 * 1024), LocalKluster.sse(200, true, Duration.ZERO));
		run((client) -> {
			StepVerifier.create(client.stream("Hi"))
				.expectNextCount(1)
				.expectErrorSatisfies(typed(KlusterResponseTooLargeException.class, (ex) -> {
				}))
				.verify(TIMEOUT);
			// 200 events are far more than 16 KB together: a stream is never held whole.
			StepVerifier.create(client.stream("Hi").count()).expectNext(200L).expectComplete().verify(TIMEOUT);
		}, "kluster.max-response-size=16KB");
	}

	@Test
	void noQueueWaitFailsAtOnceWhenAllSlotsAreTaken() {
		this.kluster.byDefault(LocalKluster.delayed(NEVER, LocalKluster.json(200, LocalKluster.COMPLETION)));
		run((client) -> whileTheOnlySlotIsTaken(client, () -> StepVerifier.create(client.chat("Hi"))
			.expectErrorSatisfies(typed(KlusterQueueTimeoutException.class,
					(ex) -> assertThat(((KlusterTimeoutException) ex).timeout()).isEqualTo(Duration.ZERO)))
			.verify(TIMEOUT)), "kluster.max-concurrent-requests=1", "kluster.max-queue-wait=0s");
		assertThat(this.kluster.requests()).isEqualTo(1);
	}

	@Test
	void callThatWaitsTooLongForASlotFailsWithoutBeingSent() {
		this.kluster.byDefault(LocalKluster.delayed(NEVER, LocalKluster.json(200, LocalKluster.COMPLETION)));
		run((client) -> whileTheOnlySlotIsTaken(client, () -> StepVerifier.create(client.chat("Hi"))
			.expectErrorSatisfies(typed(KlusterQueueTimeoutException.class, (ex) -> {
				assertThat(((KlusterTimeoutException) ex).limit()).isEqualTo("kluster.max-queue-wait");
				assertThat(((KlusterTimeoutException) ex).timeout()).isEqualTo(Duration.ofMillis(200));
				assertThat(((KlusterException) ex).attempts()).isEqualTo(1);
			}))
			.verify(TIMEOUT)), "kluster.max-concurrent-requests=1", "kluster.max-queue-wait=200ms");
		assertThat(this.kluster.requests()).isEqualTo(1);
	}

	/**
	 * Runs {@code test} while a first call holds the only slot: it is known to hold it
	 * once the server has received it, and it keeps it because the server never answers.
	 */
	private void whileTheOnlySlotIsTaken(KlusterChatClient client, Runnable test) {
		Disposable first = client.chat("Hi").subscribe(null, (ex) -> {
		});
		try {
			await().atMost(TIMEOUT).until(() -> this.kluster.requests() == 1);
			test.run();
		}
		finally {
			first.dispose();
		}
	}

}
