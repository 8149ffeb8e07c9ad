package dev.kluster.boot.error;

import java.time.Duration;

/**
 * A call would have had to wait longer than {@code kluster.rate-limit.max-wait} for a
 * budget of {@code kluster.rate-limit.*} (requests or tokens per minute) and was not sent.
 * Never retried: the budget is spent because this application, or the instances sharing
 * its budget, already send as much as the plan allows.
 *
 * @since 0.1.0
 */
public class KlusterRateLimitWaitException extends KlusterException {

	/** Property of the longest wait, which this exception reports was not enough. */
	public static final String MAX_WAIT_PROPERTY = "kluster.rate-limit.max-wait";

	private final String budget;

	private final String model;

	private final Duration wait;

	private final Duration maxWait;

	/**
	 * Create the exception.
	 * @param budget property of the budget that was spent, for example
	 * {@code kluster.rate-limit.requests-per-minute}
	 * @param model the model whose budget it is, {@code *} for calls without a model
	 * @param wait how long the call would have waited for the budget
	 * @param maxWait the longest wait allowed
	 */
	public KlusterRateLimitWaitException(String budget, String model, Duration wait, Duration maxWait) {
		super("The " + budget + " budget of model " + model + " would have made the call wait " + wait.toMillis()
				+ " ms, longer than " + maxWait + " (" + MAX_WAIT_PROPERTY + "); the call was not sent");
		this.budget = budget;
		this.model = model;
		this.wait = wait;
		this.maxWait = maxWait;
	}

	/**
	 * Property of the budget that was spent.
	 * @return {@code kluster.rate-limit.requests-per-minute} or
	 * {@code kluster.rate-limit.tokens-per-minute}
	 */
	public String budget() {
		return this.budget;
	}

	/**
	 * The model whose budget was spent.
	 * @return the model, {@code *} for calls without a model (model lists, batch calls)
	 */
	public String model() {
		return this.model;
	}

	/**
	 * How long the call would have had to wait.
	 * @return the wait the budget asked for
	 */
	public Duration waitNeeded() {
		return this.wait;
	}

	/**
	 * The longest wait allowed, {@code kluster.rate-limit.max-wait}.
	 * @return the maximum wait
	 */
	public Duration maxWait() {
		return this.maxWait;
	}

}
