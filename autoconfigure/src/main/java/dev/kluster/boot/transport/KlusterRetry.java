package dev.kluster.boot.transport;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;

import dev.kluster.boot.observation.KlusterChatObservationContext;
import dev.kluster.boot.observation.KlusterObservationDocumentation;
import org.springframework.util.Assert;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;
import reactor.util.retry.Retry;
import dev.kluster.boot.error.KlusterException;
import dev.kluster.boot.error.KlusterRateLimitException;

/**
 * When and after how long a failed kluster.ai call is sent again. Retried are the
 * failures that {@link KlusterFailures#isTransient(Throwable, boolean)} calls transient
 * for a call that is not cheap to repeat: HTTP 429, 5xx other than 501 Not Implemented,
 * and connection failures (including a connect timeout). Never retried: other 4xx
 * answers, validation failures, answers that cannot be read, and timeouts while waiting
 * for an answer, which would only pay twice for a slow generation. A {@link Error} (an {@code OutOfMemoryError}, for
 * example) is neither retried nor wrapped: it reaches the caller as it was thrown.
 * <p>
 * The pause grows exponentially from the initial backoff with random jitter, up to the
 * maximum backoff. A {@code Retry-After} sent with a 429 replaces the computed pause but
 * is capped by the maximum backoff too, so that a server asking for an hour does not
 * hold the call for an hour. When the retry gives up, the last failure is passed on with
 * its own type and {@link KlusterException#attempts()} set.
 * <p>
 * Each retry is logged at {@code WARN} with the failure's message (which never holds the
 * API key) and, when the call is observed, recorded on its observation as a
 * {@link KlusterObservationDocumentation.Events#RETRY retry} event and as the attempt
 * count of the {@link KlusterChatObservationContext}.
 *
 * @since 0.1.0
 */
public final class KlusterRetry extends Retry {

	/** The default most times a call is sent, 3 ({@code kluster.retry.max-attempts}). */
	public static final int DEFAULT_MAX_ATTEMPTS = 3;

	/** The default pause before the first retry, 500 ms ({@code kluster.retry.initial-backoff}). */
	public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);

	/** The default longest pause, 30 seconds ({@code kluster.retry.max-backoff}). */
	public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

	/** The default random share of each pause, 0.5 ({@code kluster.retry.jitter}). */
	public static final double DEFAULT_JITTER = 0.5;

	private static final Log logger = LogFactory.getLog(KlusterRetry.class);

	private static final KlusterRetry DEFAULTS = of(DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF,
			DEFAULT_JITTER);

	private static final KlusterRetry NONE = new KlusterRetry(1, Duration.ZERO, Duration.ZERO, 0);

	private final int maxAttempts;

	private final Duration initialBackoff;

	private final Duration maxBackoff;

	private final double jitter;

	private KlusterRetry(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter) {
		this.maxAttempts = maxAttempts;
		this.initialBackoff = initialBackoff;
		this.maxBackoff = maxBackoff;
		this.jitter = jitter;
	}

	/**
	 * Create a retry.
	 * @param maxAttempts most times a call is sent, at least 1; 1 turns retries off
	 * @param initialBackoff pause before the first retry, before jitter
	 * @param maxBackoff longest pause, also the cap of a {@code Retry-After}
	 * @param jitter share of each pause, between 0 and 1, that is random
	 * @return the retry
	 */
	public static KlusterRetry of(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter) {
		Assert.isTrue(maxAttempts >= 1, "maxAttempts must be at least 1");
		Assert.isTrue(!initialBackoff.isNegative() && !maxBackoff.isNegative(), "backoffs must not be negative");
		Assert.isTrue(initialBackoff.compareTo(maxBackoff) <= 0, "initialBackoff must not exceed maxBackoff");
		Assert.isTrue(jitter >= 0 && jitter <= 1, "jitter must be between 0 and 1");
		return new KlusterRetry(maxAttempts, initialBackoff, maxBackoff, jitter);
	}

	/**
	 * The retry of the auto-configuration: {@value #DEFAULT_MAX_ATTEMPTS} attempts, from
	 * 500 ms up to 30 seconds apart, half of each pause random.
	 * @return the retry
	 */
	public static KlusterRetry defaults() {
		return DEFAULTS;
	}

	/**
	 * A retry that never sends a call twice.
	 * @return the retry
	 */
	public static KlusterRetry none() {
		return NONE;
	}

	/**
	 * Most times a call is sent.
	 * @return the number of attempts, at least 1
	 */
	public int maxAttempts() {
		return this.maxAttempts;
	}

	@Override
	public Publisher<?> generateCompanion(Flux<RetrySignal> retrySignals) {
		return retrySignals.concatMap((signal) -> afterFailure(signal.failure(), (int) signal.totalRetries() + 1, true)
			.thenReturn(signal));
	}

	/**
	 * What follows a failed attempt of a call that sends itself again, rather than being
	 * retried by {@code retryWhen}: the pause before the next attempt, or, when the call is
	 * not retried, its failure, with {@link KlusterException#attempts()} set. A retry is
	 * logged and observed as with {@code retryWhen}.
	 * <p>
	 * Used for streams, which may be sent again only before their first chunk was
	 * delivered, and which need no companion publisher per call for that.
	 * @param failure why the attempt failed
	 * @param attempts how many attempts were made, the failed one included
	 * @param repeatable whether the call may be sent again at all
	 * @return a publisher that completes when the next attempt may start, or fails with
	 * the failure
	 */
	public Mono<Void> afterFailure(Throwable failure, int attempts, boolean repeatable) {
		// deferContextual: the context of the call's subscriber, where the call's
		// observation is.
		return Mono.deferContextual((callContext) -> {
			if (!repeatable || attempts >= this.maxAttempts || !KlusterFailures.isTransient(failure, false)) {
				if (failure instanceof KlusterException klusterException) {
					klusterException.setAttempts(attempts);
				}
				return Mono.error(failure);
			}
			Duration backoff = backoff(attempts, failure);
			if (logger.isWarnEnabled()) {
				logger.warn("kluster.ai call failed on attempt " + attempts + " of " + this.maxAttempts + ", retrying in "
						+ backoff.toMillis() + " ms: " + failure.getMessage());
			}
			observe(callContext, attempts + 1);
			return Mono.delay(backoff).then();
		});
	}

	private Duration backoff(int attempts, Throwable failure) {
		if (failure instanceof KlusterRateLimitException rateLimit && rateLimit.retryAfter().isPresent()) {
			Duration retryAfter = rateLimit.retryAfter().get();
			return (retryAfter.compareTo(this.maxBackoff) > 0) ? this.maxBackoff : retryAfter;
		}
		long max = this.maxBackoff.toMillis();
		// 2^(attempts - 1) times the initial backoff, without overflowing on many attempts.
		long exponential = this.initialBackoff.toMillis() << Math.min(attempts - 1, 30);
		long base = (exponential < 0 || exponential > max) ? max : exponential;
		long spread = (long) (base * this.jitter);
		long millis = base - spread + ((spread > 0) ? ThreadLocalRandom.current().nextLong(2 * spread + 1) : 0);
		return Duration.ofMillis(Math.max(0, Math.min(millis, max)));
	}

	private static void observe(ContextView callContext, int nextAttempt) {
		@Nullable Object value = callContext.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
		if (value instanceof Observation observation
				&& observation.getContext() instanceof KlusterChatObservationContext context) {
			context.setAttempts(nextAttempt);
			observation.event(KlusterObservationDocumentation.Events.RETRY);
		}
	}

}
