package dev.kluster.boot.client;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.kluster.boot.validation.KlusterValidationException;
import dev.kluster.boot.validation.Violation;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import dev.kluster.boot.error.ApiError;
import dev.kluster.boot.error.KlusterApiException;
import dev.kluster.boot.error.KlusterAuthenticationException;
import dev.kluster.boot.error.KlusterBadRequestException;
import dev.kluster.boot.error.KlusterConnectionException;
import dev.kluster.boot.error.KlusterInvalidResponseException;
import dev.kluster.boot.error.KlusterQueueTimeoutException;
import dev.kluster.boot.error.KlusterRateLimitException;
import dev.kluster.boot.error.KlusterServerException;
import dev.kluster.boot.error.KlusterTimeoutException;
import dev.kluster.boot.transport.KlusterFailures;
import dev.kluster.boot.transport.KlusterRetry;
import dev.kluster.boot.transport.KlusterTimeouts;

/**
 * Tests for {@link KlusterRetry}.
 */
class KlusterRetryTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final ApiError ERROR = new ApiError("busy", null, null, null);

	@Test
	void transientFailuresAreThoseThatMayPass() {
		assertThat(KlusterFailures.isTransient(new KlusterRateLimitException(ERROR, null, null), false)).isTrue();
		assertThat(KlusterFailures.isTransient(new KlusterServerException(503, ERROR, null), false)).isTrue();
		assertThat(KlusterFailures.isTransient(new KlusterServerException(500, ERROR, null), false)).isTrue();
		assertThat(KlusterFailures.isTransient(new KlusterServerException(501, ERROR, null), false)).isFalse();
		assertThat(KlusterFailures.isTransient(new KlusterConnectionException("reset", new RuntimeException()),
				false))
			.isTrue();
		assertThat(KlusterFailures.isTransient(new KlusterTimeoutException(KlusterTimeouts.CONNECT_TIMEOUT_PROPERTY,
				Duration.ofSeconds(1), new RuntimeException()), false))
			.isTrue();
		assertThat(KlusterFailures.isTransient(new KlusterTimeoutException(KlusterTimeouts.RESPONSE_TIMEOUT_PROPERTY,
				Duration.ofSeconds(1), new RuntimeException()), false))
			.isFalse();
		assertThat(KlusterFailures.isTransient(new KlusterBadRequestException(400, ERROR, null), false)).isFalse();
		assertThat(KlusterFailures.isTransient(new KlusterAuthenticationException(401, ERROR, null), false)).isFalse();
		assertThat(KlusterFailures.isTransient(new KlusterApiException(409, ERROR, null), false)).isFalse();
		assertThat(KlusterFailures.isTransient(new KlusterInvalidResponseException("bad", null), false)).isFalse();
		assertThat(KlusterFailures.isTransient(
				new KlusterQueueTimeoutException(1, Duration.ZERO, new RuntimeException()), false))
			.isFalse();
	}

	@Test
	void everyTimeoutIsTransientForACallCheapToRepeatButA501OrA400NeverIs() {
		assertThat(KlusterFailures.isTransient(new KlusterTimeoutException(KlusterTimeouts.RESPONSE_TIMEOUT_PROPERTY,
				Duration.ofSeconds(1), new RuntimeException()), true))
			.isTrue();
		assertThat(KlusterFailures.isTransient(
				new KlusterQueueTimeoutException(1, Duration.ZERO, new RuntimeException()), true))
			.isTrue();
		assertThat(KlusterFailures.isTransient(new KlusterServerException(503, ERROR, null), true)).isTrue();
		assertThat(KlusterFailures.isTransient(new KlusterServerException(501, ERROR, null), true)).isFalse();
		assertThat(KlusterFailures.isTransient(new KlusterBadRequestException(400, ERROR, null), true)).isFalse();
		assertThat(KlusterFailures.isTransient(new KlusterInvalidResponseException("bad", null), true)).isFalse();
	}

	@Test
	void validationFailureIsNotRetried() {
		AtomicInteger calls = new AtomicInteger();
		Mono<String> call = Mono.defer(() -> {
			calls.incrementAndGet();
			return Mono.error(new KlusterValidationException(java.util.List.of(new Violation("n", "no", null))));
		});
		StepVerifier.create(call.retryWhen(KlusterRetry.of(3, Duration.ZERO, Duration.ZERO, 0)))
			.expectError(KlusterValidationException.class)
			.verify(TIMEOUT);
		assertThat(calls).hasValue(1);
	}

	@Test
	void backoffDoublesUpToTheMaximumWithoutJitter() {
		AtomicInteger calls = new AtomicInteger();
		StepVerifier
			.withVirtualTime(() -> Mono.defer(() -> (calls.incrementAndGet() < 4)
					? Mono.<String>error(new KlusterServerException(503, ERROR, null)) : Mono.just("ok"))
				.retryWhen(KlusterRetry.of(4, Duration.ofSeconds(1), Duration.ofSeconds(3), 0)))
			.expectSubscription()
			.then(() -> assertThat(calls).hasValue(1))
			.thenAwait(Duration.ofSeconds(1))
			.then(() -> assertThat(calls).hasValue(2))
			.thenAwait(Duration.ofMillis(1999))
			.then(() -> assertThat(calls).hasValue(2))
			.thenAwait(Duration.ofMillis(1))
			.then(() -> assertThat(calls).hasValue(3))
			// 4 s would be next; the maximum of 3 s wins.
			.thenAwait(Duration.ofSeconds(3))
			.expectNext("ok")
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void retryAfterReplacesTheBackoffButIsCapped() {
		AtomicInteger calls = new AtomicInteger();
		StepVerifier
			.withVirtualTime(() -> Mono.defer(() -> (calls.incrementAndGet() < 3)
					? Mono.<String>error(new KlusterRateLimitException(ERROR, null,
							(calls.get() == 1) ? Duration.ofSeconds(2) : Duration.ofHours(1)))
					: Mono.just("ok"))
				.retryWhen(KlusterRetry.of(3, Duration.ofMillis(10), Duration.ofSeconds(5), 0.5)))
			.expectSubscription()
			.thenAwait(Duration.ofMillis(1999))
			.then(() -> assertThat(calls).hasValue(1))
			.thenAwait(Duration.ofMillis(1))
			.then(() -> assertThat(calls).hasValue(2))
			.thenAwait(Duration.ofSeconds(5))
			.expectNext("ok")
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void givingUpKeepsTheTypeAndCountsTheAttempts() {
		StepVerifier
			.create(Mono.error(() -> new KlusterRateLimitException(ERROR, "req-9", null))
				.retryWhen(KlusterRetry.of(2, Duration.ZERO, Duration.ZERO, 0)))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(KlusterRateLimitException.class,
					(rateLimit) -> {
						assertThat(rateLimit.attempts()).isEqualTo(2);
						assertThat(rateLimit).hasMessageEndingWith("(gave up after 2 attempts)");
					}))
			.verify(TIMEOUT);
	}

	@Test
	void noneSendsOnce() {
		AtomicInteger calls = new AtomicInteger();
		StepVerifier.create(Mono.defer(() -> {
			calls.incrementAndGet();
			return Mono.error(new KlusterServerException(503, ERROR, null));
		}).retryWhen(KlusterRetry.none())).expectError(KlusterServerException.class).verify(TIMEOUT);
		assertThat(calls).hasValue(1);
	}

	@Test
	void settingsAreChecked() {
		assertThatIllegalArgumentException().isThrownBy(() -> KlusterRetry.of(0, Duration.ZERO, Duration.ZERO, 0));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> KlusterRetry.of(3, Duration.ofSeconds(2), Duration.ofSeconds(1), 0));
		assertThatIllegalArgumentException().isThrownBy(() -> KlusterRetry.of(3, Duration.ZERO, Duration.ZERO, 2));
	}

}
