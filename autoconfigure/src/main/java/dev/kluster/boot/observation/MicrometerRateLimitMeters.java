package dev.kluster.boot.observation;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.util.function.SingletonSupplier;

/**
 * {@link KlusterRateLimitMeters} that records in a {@link MeterRegistry}, with the names
 * of {@link KlusterRateLimitMeterDocumentation}.
 *
 * @since 0.1.0
 */
public final class MicrometerRateLimitMeters implements KlusterRateLimitMeters {

	// Registered on first use, so that an application without budgets has none of them.
	private final SingletonSupplier<Timer> requestsWait;

	private final SingletonSupplier<Timer> tokensWait;

	private final SingletonSupplier<Counter> requestsRefused;

	private final SingletonSupplier<Counter> tokensRefused;

	private final SingletonSupplier<Counter> storeFailures;

	/**
	 * Create the meters in a registry.
	 * @param registry where they are registered
	 */
	public MicrometerRateLimitMeters(MeterRegistry registry) {
		this.requestsWait = SingletonSupplier.of(() -> wait(registry, REQUESTS));
		this.tokensWait = SingletonSupplier.of(() -> wait(registry, TOKENS));
		this.requestsRefused = SingletonSupplier.of(() -> refused(registry, REQUESTS));
		this.tokensRefused = SingletonSupplier.of(() -> refused(registry, TOKENS));
		this.storeFailures = SingletonSupplier
			.of(() -> Counter.builder(KlusterRateLimitMeterDocumentation.STORE_FAILURES.getName())
				.description("Operations of the shared rate-limit store that failed or timed out")
				.register(registry));
	}

	private static Timer wait(MeterRegistry registry, String budget) {
		return Timer.builder(KlusterRateLimitMeterDocumentation.WAIT.getName())
			.description("Time calls waited for a kluster.rate-limit budget")
			.tag(KlusterRateLimitMeterDocumentation.BudgetKeyNames.BUDGET.asString(), budget)
			.register(registry);
	}

	private static Counter refused(MeterRegistry registry, String budget) {
		return Counter.builder(KlusterRateLimitMeterDocumentation.REFUSED.getName())
			.description("Calls refused because a kluster.rate-limit budget would have made them wait too long")
			.tag(KlusterRateLimitMeterDocumentation.BudgetKeyNames.BUDGET.asString(), budget)
			.register(registry);
	}

	@Override
	public void waited(String budget, Duration wait) {
		(TOKENS.equals(budget) ? this.tokensWait : this.requestsWait).obtain().record(wait);
	}

	@Override
	public void refused(String budget) {
		(TOKENS.equals(budget) ? this.tokensRefused : this.requestsRefused).obtain().increment();
	}

	@Override
	public void storeFailed() {
		this.storeFailures.obtain().increment();
	}

}
