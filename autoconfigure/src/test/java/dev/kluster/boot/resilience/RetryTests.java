package dev.kluster.boot.resilience;

import java.time.Duration;
import java.util.List;

import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.kluster.boot.error.KlusterBadRequestException;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.error.KlusterConnectionException;
import dev.kluster.boot.error.KlusterRateLimitException;
import dev.kluster.boot.error.KlusterServerException;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.test.KlusterStandInExtension;
import dev.kluster.boot.validation.KlusterValidationException;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the retries of the auto-configured client against the kluster.ai stand-in.
 */
@ExtendWith(OutputCaptureExtension.class)
class RetryTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@RegisterExtension
	static KlusterStandInExtension standIn = new KlusterStandInExtension();

	private static ChatCompletionRequest hi() {
		return ChatCompletionRequest.builder().message(ChatMessage.user("Hi")).build();
	}

	private void run(KlusterStandIn kluster, String[] properties, java.util.function.Consumer<KlusterChatClient> test) {
		KlusterContexts.runner(kluster.baseUrl())
			.withPropertyValues(properties)
			.run((context) -> test.accept(context.getBean(KlusterChatClient.class)));
	}

	@Test
	void rateLimitWithRetryAfterIsWaitedOutThenSucceeds(KlusterStandIn kluster, CapturedOutput output) {
		kluster.answer("Hello").rateLimitNext(Duration.ofSeconds(1));
		run(kluster, new String[] { "kluster.retry.max-backoff=5s" }, (client) -> {
			long start = System.nanoTime();
			StepVerifier.create(client.chat("Hi")).expectNext("Hello").expectComplete().verify(TIMEOUT);
			// Retry-After: 1 beats the 10 ms initial backoff.
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
		});
		assertThat(kluster.requestCount()).isEqualTo(2);
		assertThat(output).contains("kluster.ai call failed on attempt 1 of 3, retrying in 1000 ms")
			.doesNotContain(LocalKluster.KEY);
	}

	@Test
	void retryAfterIsCappedByTheMaximumBackoff(KlusterStandIn kluster, CapturedOutput output) {
		kluster.answer("Hello").rateLimitNext(Duration.ofSeconds(30));
		// kluster.retry.max-backoff is 100 ms (KlusterContexts): the 30 s asked for are not waited.
		run(kluster, new String[0], (client) -> StepVerifier.create(client.chat("Hi"))
			.expectNext("Hello")
			.expectComplete()
			.verify(TIMEOUT));
		assertThat(kluster.requestCount()).isEqualTo(2);
		assertThat(output).contains("kluster.ai call failed on attempt 1 of 3, retrying in 100 ms");
	}

	@Test
	void rateLimitWithoutRetryAfterBacksOffThenSucceeds(KlusterStandIn kluster, CapturedOutput output) {
		kluster.answer("Hello").rateLimitNext(null).rateLimitNext(null);
		run(kluster, new String[0], (client) -> StepVerifier.create(client.chat("Hi"))
			.expectNext("Hello")
			.expectComplete()
			.verify(TIMEOUT));
		assertThat(kluster.requestCount()).isEqualTo(3);
		assertThat(output).contains("attempt 2 of 3").doesNotContain(LocalKluster.KEY);
	}

	@Test
	void threeServiceUnavailableThenSuccess(KlusterStandIn kluster) {
		kluster.answer("Hello");
		for (int i = 0; i < 3; i++) {
			kluster.failNext(503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}");
		}
		run(kluster, new String[] { "kluster.retry.max-attempts=4" }, (client) -> StepVerifier
			.create(client.chat("Hi"))
			.expectNext("Hello")
			.expectComplete()
			.verify(TIMEOUT));
		assertThat(kluster.requestCount()).isEqualTo(4);
	}

	@Test
	void serverErrorUntilAttemptsRunOutKeepsItsTypeAndCountsAttempts(KlusterStandIn kluster) {
		for (int i = 0; i < 3; i++) {
			kluster.failNext(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}");
		}
		run(kluster, new String[0], (client) -> StepVerifier.create(client.chat("Hi"))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(KlusterServerException.class,
					(server) -> {
						assertThat(server.statusCode()).isEqualTo(500);
						assertThat(server.attempts()).isEqualTo(3);
						assertThat(server).hasMessageContaining("boom")
							.hasMessageContaining("gave up after 3 attempts")
							.hasMessageNotContaining(LocalKluster.KEY);
					}))
			.verify(TIMEOUT));
		assertThat(kluster.requestCount()).isEqualTo(3);
	}

	@Test
	void rateLimitUntilAttemptsRunOutStaysARateLimitException(KlusterStandIn kluster) {
		kluster.rateLimitNext(null).rateLimitNext(null);
		run(kluster, new String[] { "kluster.retry.max-attempts=2" }, (client) -> StepVerifier
			.create(client.chat("Hi"))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(KlusterRateLimitException.class,
					(rateLimit) -> assertThat(rateLimit.attempts()).isEqualTo(2)))
			.verify(TIMEOUT));
	}

	@Test
	void notImplementedAndOtherClientErrorsAreNotRetried(KlusterStandIn kluster) {
		kluster.failNext(501, "not implemented").failNext(400, "{\"error\":{\"message\":\"bad\"}}");
		run(kluster, new String[0], (client) -> {
			StepVerifier.create(client.chat("Hi"))
				.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(KlusterServerException.class,
						(server) -> assertThat(server.attempts()).isEqualTo(1)))
				.verify(TIMEOUT);
			StepVerifier.create(client.chat("Hi")).expectError(KlusterBadRequestException.class).verify(TIMEOUT);
		});
		assertThat(kluster.requestCount()).isEqualTo(2);
	}

	@Test
	void validationFailureIsNeitherSentNorRetried(KlusterStandIn kluster) {
		run(kluster, new String[0], (client) -> StepVerifier
			.create(client.chat(hi().toBuilder().n(2).build()))
			.expectError(KlusterValidationException.class)
			.verify(TIMEOUT));
		assertThat(kluster.requestCount()).isZero();
	}

	@Test
	void streamIsRetriedBeforeItsFirstChunk(KlusterStandIn kluster) {
		kluster.answer("one two three").rateLimitNext(null);
		run(kluster, new String[0], (client) -> StepVerifier.create(client.stream("Hi").collectList())
			.assertNext((words) -> assertThat(String.join("", words)).contains("three"))
			.expectComplete()
			.verify(TIMEOUT));
		assertThat(kluster.requestCount()).isEqualTo(2);
	}

	@Test
	void streamIsNotRetriedOnceAChunkWasDelivered(KlusterStandIn kluster) {
		kluster.answer("one two three four").dropStreamAfter(2);
		run(kluster, new String[0], (client) -> StepVerifier.create(client.stream("Hi"))
			.expectNextCount(1)
			.thenConsumeWhile((word) -> true)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(KlusterConnectionException.class,
					(connection) -> assertThat(connection.attempts()).isEqualTo(1)))
			.verify(TIMEOUT));
		assertThat(kluster.requestCount()).isEqualTo(1);
	}

	@Test
	void retriesAreOffWhenDisabled(KlusterStandIn kluster) {
		kluster.rateLimitNext(null);
		run(kluster, new String[] { "kluster.retry.enabled=false" }, (client) -> StepVerifier
			.create(client.chat("Hi"))
			.expectError(KlusterRateLimitException.class)
			.verify(TIMEOUT));
		assertThat(kluster.requestCount()).isEqualTo(1);
	}

	@Test
	void everyAttemptIsVisibleOnTheObservation(KlusterStandIn kluster) {
		kluster.answer("Hello").rateLimitNext(null).failNext(502, "bad gateway");
		TestObservationRegistry registry = TestObservationRegistry.create();
		List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

			@Override
			public void onEvent(Observation.Event event, Observation.Context context) {
				events.add(event.getName());
			}

		});
		KlusterContexts.runner(kluster.baseUrl())
			.withBean(ObservationRegistry.class, () -> registry)
			.run((context) -> StepVerifier.create(context.getBean(KlusterChatClient.class).chat("Hi"))
				.expectNext("Hello")
				.expectComplete()
				.verify(TIMEOUT));
		assertThat(registry).hasObservationWithNameEqualTo("gen_ai.client.operation.duration")
			.that()
			.hasHighCardinalityKeyValue("kluster.request.attempts", "3")
			.hasBeenStopped();
		assertThat(events).containsExactly("retry", "retry");
	}

}
