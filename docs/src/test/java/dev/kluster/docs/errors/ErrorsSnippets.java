package dev.kluster.docs.errors;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import dev.kluster.boot.error.KlusterApiException;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.error.KlusterConnectionException;
import dev.kluster.boot.error.KlusterException;
import dev.kluster.boot.error.KlusterRateLimitException;
import dev.kluster.boot.error.KlusterServerException;
import dev.kluster.boot.error.KlusterTimeoutException;
import dev.kluster.boot.validation.KlusterValidationException;
import dev.kluster.boot.validation.Violation;

/**
 * The fragments of errors.md, each in a method that gives it what it uses.
 */
class ErrorsSnippets {

	private static final Logger log = LoggerFactory.getLogger(ErrorsSnippets.class);

	private final KlusterChatClient kluster;

	ErrorsSnippets(KlusterChatClient kluster) {
		this.kluster = kluster;
	}

	Mono<String> waitForRetryAfter(String question) {
		// tag::errors-retry-after[]
		Mono<String> answer = kluster.chat(question)
			.onErrorResume(KlusterRateLimitException.class, ex -> {
				Duration wait = ex.retryAfter().orElse(Duration.ofSeconds(5));
				return Mono.delay(wait).then(kluster.chat(question));
			});
		// end::errors-retry-after[]
		return answer;
	}

	Mono<String> retryTransient(String question) {
		// tag::errors-retry-when[]
		Mono<String> answer = kluster.chat(question)
			.retryWhen(Retry.backoff(3, Duration.ofSeconds(1))
				.filter(ex -> ex instanceof KlusterRateLimitException
						|| ex instanceof KlusterServerException
						|| ex instanceof KlusterConnectionException
						|| ex instanceof KlusterTimeoutException)
				.onRetryExhaustedThrow((spec, signal) -> signal.failure()));
		// end::errors-retry-when[]
		return answer;
	}

	Mono<String> fallbacks(String question) {
		// tag::errors-fallbacks[]
		Mono<String> answer = kluster.chat(question)
			.onErrorResume(KlusterValidationException.class, ex -> {
				for (Violation violation : ex.violations()) {
					log.warn("{}: {}", violation.path(), violation.message());
				}
				return Mono.just("The question could not be sent.");
			})
			.onErrorResume(KlusterApiException.class, ex -> {
				log.warn("kluster.ai HTTP {}: {} (request id {})", ex.statusCode(), ex.error().message(), ex.requestId());
				return Mono.just("The assistant is unavailable.");
			})
			.onErrorResume(KlusterException.class, ex -> Mono.just("The assistant is unavailable."));
		// end::errors-fallbacks[]
		return answer;
	}

	String blocking(String question) {
		// tag::errors-blocking[]
		try {
			String text = kluster.chat(question).block(Duration.ofMinutes(1));
		}
		catch (KlusterRateLimitException ex) {
			// ex.retryAfter(), ex.requestId(), ...
		}
		catch (KlusterException ex) {
			// everything else
		}
		// end::errors-blocking[]
		return question;
	}

}
