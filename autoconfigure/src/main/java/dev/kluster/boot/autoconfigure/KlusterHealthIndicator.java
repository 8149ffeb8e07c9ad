package dev.kluster.boot.autoconfigure;

import java.time.Duration;
import java.util.Objects;

import reactor.core.publisher.Mono;

import dev.kluster.boot.client.KlusterChatClient;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;

/**
 * {@link ReactiveHealthIndicator} that lists kluster.ai's models ({@code GET /models}):
 * up with the number of models when the call succeeds, down with the error otherwise.
 * <p>
 * The result is cached for a while, and probes that arrive while a call is under way wait
 * for that call, so that however often the health endpoint is polled, kluster.ai sees at
 * most one call per cache period.
 *
 * @since 0.1.0
 */
public class KlusterHealthIndicator implements ReactiveHealthIndicator {

	private final Mono<Health> health;

	/**
	 * Create an indicator.
	 * @param client the client to probe with
	 * @param cacheTtl how long a result is reused, up or down
	 * @param timeout longest wait for kluster.ai's answer; a slower answer is reported as
	 * down
	 */
	public KlusterHealthIndicator(KlusterChatClient client, Duration cacheTtl, Duration timeout) {
		Objects.requireNonNull(client, "client must not be null");
		this.health = Mono.defer(() -> client.models().count())
			.timeout(timeout)
			.map((count) -> Health.up().withDetail("models", count).build())
			.onErrorResume((ex) -> Mono.just(Health.down(ex).build()))
			.cache(cacheTtl);
	}

	@Override
	public Mono<Health> health() {
		return this.health;
	}

}
