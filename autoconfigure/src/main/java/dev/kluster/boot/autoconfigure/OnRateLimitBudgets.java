package dev.kluster.boot.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code kluster.rate-limit.*} configures a budget: requests or tokens per
 * minute, for every model or for one.
 */
class OnRateLimitBudgets extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		KlusterProperties.RateLimit rateLimit = Binder.get(context.getEnvironment())
			.bind("kluster.rate-limit", Bindable.of(KlusterProperties.RateLimit.class))
			.orElseGet(KlusterProperties.RateLimit::new);
		return rateLimit.hasBudgets() ? ConditionOutcome.match("kluster.rate-limit configures a budget")
				: ConditionOutcome.noMatch("kluster.rate-limit configures no budget");
	}

}
