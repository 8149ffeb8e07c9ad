package dev.kluster.sample;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import dev.kluster.boot.observation.KlusterRateLimitMeters;
import dev.kluster.boot.transport.KlusterRateLimit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * What the page shows of the {@code kluster.rate-limit} budgets: what is left of the
 * model's budgets now (read from Redis with the {@code shared-limits} profile, so that
 * every instance shows the same budget) and how long this instance's requests waited for
 * them, from the {@code kluster.rate-limit.wait} meter.
 */
@RestController
class RateLimitController {

	private final ObjectProvider<KlusterRateLimit> rateLimit;

	private final MeterRegistry registry;

	private final Environment environment;

	private final String store;

	private final String defaultModel;

	RateLimitController(ObjectProvider<KlusterRateLimit> rateLimit, MeterRegistry registry,
			Environment environment) {
		this.rateLimit = rateLimit;
		this.registry = registry;
		this.environment = environment;
		this.store = environment.getProperty("kluster.rate-limit.store", "local");
		this.defaultModel = environment.getProperty("kluster.chat.model", "");
	}

	@GetMapping("/rate-limit")
	Mono<Budgets> rateLimit(@RequestParam(required = false) @Nullable String model) {
		KlusterRateLimit limit = this.rateLimit.getIfAvailable();
		int port = this.environment.getProperty("local.server.port", Integer.class, 0);
		if (limit == null) {
			return Mono.just(new Budgets(false, this.store, port, null, null, null, null, null));
		}
		String name = (model != null && !model.isBlank()) ? model : this.defaultModel;
		return limit.remaining(name)
			.map((left) -> new Budgets(true, this.store, port, left.model(), limit.limitsOf(name), left,
					waits(KlusterRateLimitMeters.REQUESTS), waits(KlusterRateLimitMeters.TOKENS)));
	}

	private Waits waits(String budget) {
		Timer timer = this.registry.find("kluster.rate-limit.wait").tag("budget", budget).timer();
		if (timer == null) {
			return new Waits(0, 0, 0);
		}
		return new Waits(timer.count(), Math.round(timer.totalTime(TimeUnit.MILLISECONDS)),
				Math.round(timer.max(TimeUnit.MILLISECONDS)));
	}

	/**
	 * The budgets of a model as this instance sees them.
	 *
	 * @param paced whether any {@code kluster.rate-limit} budget is configured
	 * @param store {@code local} or {@code redis}
	 * @param port this instance's port, to tell two instances' pages apart
	 * @param model the model whose budgets these are
	 * @param limits its requests and tokens per minute
	 * @param left what is left of them now; below zero while requests wait
	 * @param requestWaits how long this instance's requests waited for the requests budget
	 * @param tokenWaits how long they waited for the tokens budget
	 */
	record Budgets(boolean paced, String store, int port, @Nullable String model,
			KlusterRateLimit.@Nullable Limits limits, KlusterRateLimit.@Nullable Remaining left,
			@Nullable Waits requestWaits, @Nullable Waits tokenWaits) {
	}

	/**
	 * The {@code kluster.rate-limit.wait} timer of one budget in this instance.
	 *
	 * @param requests requests paced by the budget, those that did not wait included
	 * @param totalMillis how long they waited in all
	 * @param maxMillis the longest wait of the last minutes
	 */
	record Waits(long requests, long totalMillis, long maxMillis) {
	}

}
