package dev.kluster.boot.transport;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import io.micrometer.observation.ObservationView;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;
import dev.kluster.boot.error.KlusterRateLimitWaitException;
import dev.kluster.boot.observation.KlusterChatObservationContext;
import dev.kluster.boot.observation.KlusterObservationDocumentation;
import dev.kluster.boot.observation.KlusterRateLimitMeters;

/**
 * Paces the requests of one application, or of every instance sharing a
 * {@link KlusterRateLimitStore}, to kluster.ai's requests-per-minute and tokens-per-minute
 * limits, so that they are not refused with 429. Each budget is a Bucket4j token bucket
 * per model, as kluster.ai's limits are per model: it holds a minute's worth of requests
 * (or tokens), which may go out at once, and refills evenly over the minute.
 * <p>
 * A request reserves what it needs from each budget and waits, without holding a thread
 * (a delay on a Reactor scheduler), until the reservation is covered. When that would
 * take longer than the maximum wait, the reservation is given back and the request fails
 * at once with a {@link KlusterRateLimitWaitException} that names the budget and the wait
 * it would have needed. A request's model and token estimate are the attributes
 * {@link #MODEL_ATTRIBUTE} and {@link #TOKENS_ATTRIBUTE} of its {@link ClientRequest}, set
 * by the chat client; a request without a model (the list of models, batch calls and
 * polls) counts on the budget of model {@value #ANY_MODEL}. The token estimate is
 * corrected with the usage kluster.ai reports, see {@link #correct}.
 * <p>
 * A 429 answer with {@code Retry-After} drains the model's requests budget (its tokens
 * budget when it has no requests budget) until then, in the store, so that every instance
 * sharing it slows down, and holds back until then the requests of this instance that
 * are already waiting.
 * <p>
 * Installed as an {@link ExchangeFilterFunction} on the connection's {@code WebClient},
 * ahead of the {@link KlusterConcurrencyLimit}: a request waiting for its budget holds no
 * slot. Each attempt of a retried call is a request and is paced.
 * <p>
 * With a {@link LocalRateLimitStore}, which answers at once, the reservation is taken when
 * the filter is applied ({@code WebClient} applies its filters when the exchange is
 * subscribed), and a request that need not wait goes on to the exchange without any
 * operator of the pacer's but the one that watches for a 429: what most requests do costs
 * two bucket updates. A request that must wait, or one paced by a shared store, goes the
 * reactive way.
 *
 * @since 0.1.0
 */
public final class KlusterRateLimit implements ExchangeFilterFunction {

	/** Attribute of a {@link ClientRequest} that names the model of its budget. */
	public static final String MODEL_ATTRIBUTE = KlusterRateLimit.class.getName() + ".model";

	/** Attribute of a {@link ClientRequest} that holds its estimated tokens, a {@code Long}. */
	public static final String TOKENS_ATTRIBUTE = KlusterRateLimit.class.getName() + ".tokens";

	/** The budget key of requests without a model. */
	public static final String ANY_MODEL = "*";

	/** Property of the requests-per-minute budget. */
	public static final String REQUESTS_PER_MINUTE_PROPERTY = "kluster.rate-limit.requests-per-minute";

	/** Property of the tokens-per-minute budget. */
	public static final String TOKENS_PER_MINUTE_PROPERTY = "kluster.rate-limit.tokens-per-minute";

	/** The default longest wait for a budget, 30 seconds ({@code kluster.rate-limit.max-wait}). */
	public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);

	/** The default prefix of the keys of shared budgets ({@code kluster.rate-limit.key-prefix}). */
	public static final String DEFAULT_KEY_PREFIX = "kluster:rate-limit:";

	/**
	 * The largest budget per minute: Bucket4j refills at most one token per nanosecond.
	 */
	public static final long MAX_PER_MINUTE = 60_000_000_000L;

	/** Characters of a request counted as one token by {@link #estimateTokens}. */
	public static final int CHARACTERS_PER_TOKEN = 4;

	private static final Duration MINUTE = Duration.ofMinutes(1);

	private static final Log logger = LogFactory.getLog(KlusterRateLimit.class);

	private final Limits defaults;

	private final Map<String, Limits> models;

	private final Duration maxWait;

	private final KlusterRateLimitStore store;

	// The store when it answers at once: reserved from synchronously, without a Mono.
	private final @Nullable LocalRateLimitStore localStore;

	private final Scheduler scheduler;

	private final KlusterRateLimitMeters meters;

	private final String keyPrefix;

	private final Clock clock;

	private final Map<String, Budgets> budgets = new ConcurrentHashMap<>();

	private KlusterRateLimit(Builder builder) {
		this.defaults = builder.defaults;
		this.models = Map.copyOf(builder.models);
		this.maxWait = builder.maxWait;
		this.scheduler = (builder.scheduler != null) ? builder.scheduler : Schedulers.parallel();
		this.store = (builder.store != null) ? builder.store : new LocalRateLimitStore(clockOf(this.scheduler));
		this.localStore = (this.store instanceof LocalRateLimitStore local) ? local : null;
		this.meters = builder.meters;
		this.keyPrefix = builder.keyPrefix;
		this.clock = Clock.systemUTC();
	}

	/**
	 * A builder of a rate limit.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The clock of a Reactor scheduler as Bucket4j reads time, so that buckets refill in
	 * the scheduler's time, virtual time in tests included.
	 * @param scheduler the scheduler
	 * @return its clock
	 */
	public static TimeMeter clockOf(Scheduler scheduler) {
		return new TimeMeter() {

			@Override
			public long currentTimeNanos() {
				return scheduler.now(TimeUnit.NANOSECONDS);
			}

			@Override
			public boolean isWallClockBased() {
				return true;
			}

		};
	}

	/**
	 * The tokens a chat request is estimated to use before it is sent: the characters of
	 * its JSON body divided by {@value #CHARACTERS_PER_TOKEN} (a common rule of thumb for
	 * English text, which counts the JSON's names too and so errs on the high side), plus
	 * the most tokens it may generate. The estimate is corrected with the usage kluster.ai
	 * reports once the answer is there.
	 * @param bodyLength length of the request's JSON body in bytes
	 * @param maxCompletionTokens {@code max_completion_tokens} of the request, or
	 * {@code null} when it has none
	 * @return the estimate
	 */
	public static long estimateTokens(int bodyLength, @Nullable Integer maxCompletionTokens) {
		return (bodyLength + CHARACTERS_PER_TOKEN - 1) / CHARACTERS_PER_TOKEN
				+ ((maxCompletionTokens != null) ? Math.max(0, maxCompletionTokens) : 0);
	}

	/**
	 * The budgets of a model: its own when configured, otherwise the defaults.
	 * @param model the model, {@code null} for requests without one
	 * @return the limits
	 */
	public Limits limitsOf(@Nullable String model) {
		return budgets(model).limits();
	}

	/**
	 * The longest wait for a budget.
	 * @return the maximum wait
	 */
	public Duration maxWait() {
		return this.maxWait;
	}

	/**
	 * Where the budgets are kept.
	 * @return the store
	 */
	public KlusterRateLimitStore store() {
		return this.store;
	}

	/**
	 * What is left of a model's budgets now; below zero while requests wait.
	 * @param model the model, {@code null} for requests without one
	 * @return the requests and tokens left, {@code null} for a budget that is not limited
	 */
	public Mono<Remaining> remaining(@Nullable String model) {
		Budgets budgets = budgets(model);
		Mono<Long> requests = (budgets.requests != null)
				? this.store.available(budgets.requestsKey, budgets.requests) : Mono.just(Long.MIN_VALUE);
		Mono<Long> tokens = (budgets.tokens != null) ? this.store.available(budgets.tokensKey, budgets.tokens)
				: Mono.just(Long.MIN_VALUE);
		return Mono.zip(requests, tokens)
			.map((both) -> new Remaining(budgets.model, (both.getT1() != Long.MIN_VALUE) ? both.getT1() : null,
					(both.getT2() != Long.MIN_VALUE) ? both.getT2() : null));
	}

	/**
	 * Correct a request's token estimate with the usage kluster.ai reported: the difference
	 * is taken from the model's tokens budget, or given back to it. Does nothing when the
	 * model has no tokens budget.
	 * @param model the model of the request
	 * @param estimated the tokens the request reserved
	 * @param used the tokens kluster.ai reported (prompt and completion)
	 */
	public void correct(@Nullable String model, long estimated, long used) {
		Budgets budgets = budgets(model);
		BucketConfiguration tokens = budgets.tokens;
		if (tokens == null || used == budgets.clamp(estimated)) {
			return;
		}
		long reserved = budgets.clamp(estimated);
		if (used > reserved) {
			take(budgets.tokensKey, tokens, used - reserved);
		}
		else {
			giveBack(budgets.tokensKey, tokens, reserved - used);
		}
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		// The map itself: attribute(name) wraps each value in an Optional.
		Map<String, Object> attributes = request.attributes();
		Budgets budgets = budgets((String) attributes.get(MODEL_ATTRIBUTE));
		if (budgets.requests == null && budgets.tokens == null) {
			return exchange(budgets, request, next);
		}
		long tokens = budgets.clamp((attributes.get(TOKENS_ATTRIBUTE) instanceof Long estimate) ? estimate : 0L);
		boolean tokensLimited = budgets.tokens != null && tokens > 0;
		LocalRateLimitStore local = this.localStore;
		if (local == null) {
			Mono<Long> requestsWait = (budgets.requests != null)
					? this.store.reserve(budgets.requestsKey, budgets.requests, 1) : Mono.just(0L);
			Mono<Long> tokensWait = tokensLimited ? this.store.reserve(budgets.tokensKey, budgets.tokens, tokens)
					: Mono.just(0L);
			return Mono.zip(requestsWait, tokensWait)
				.flatMap((waits) -> Mono.deferContextual(
						(context) -> admit(context, budgets, tokens, waits.getT1(), waits.getT2())))
				.then(exchange(budgets, request, next));
		}
		long requestsWait = (budgets.requests != null) ? local.reserveNow(budgets.requestsKey, budgets.requests, 1)
				: 0;
		long tokensWait = tokensLimited ? local.reserveNow(budgets.tokensKey, budgets.tokens, tokens) : 0;
		if (requestsWait <= 0 && tokensWait <= 0 && !budgets.paused(this.scheduler)) {
			waited(budgets, tokens, 0, 0);
			return exchange(budgets, request, next);
		}
		return Mono.deferContextual((context) -> admit(context, budgets, tokens, requestsWait, tokensWait))
			.then(exchange(budgets, request, next));
	}

	private Mono<ClientResponse> exchange(Budgets budgets, ClientRequest request, ExchangeFunction next) {
		return next.exchange(request).doOnNext((response) -> onAnswer(budgets, response));
	}

	// What a request does once its reservations are taken: fails when it would wait too
	// long, otherwise waits for them (and for a 429's Retry-After).
	private Mono<Void> admit(ContextView context, Budgets budgets, long tokens, long requestsWait, long tokensWait) {
		long requestsNanos = Math.max(0, requestsWait);
		long tokensNanos = Math.max(0, tokensWait);
		long wait = Math.max(requestsNanos, tokensNanos);
		if (wait > this.maxWait.toNanos()) {
			boolean requests = requestsNanos >= tokensNanos;
			giveBack(budgets, tokens);
			this.meters.refused(requests ? KlusterRateLimitMeters.REQUESTS : KlusterRateLimitMeters.TOKENS);
			return Mono.error(new KlusterRateLimitWaitException(
					requests ? REQUESTS_PER_MINUTE_PROPERTY : TOKENS_PER_MINUTE_PROPERTY, budgets.model,
					Duration.ofNanos(wait), this.maxWait));
		}
		waited(budgets, tokens, requestsNanos, tokensNanos);
		if (wait == 0) {
			return pause(budgets);
		}
		observe(context, Duration.ofNanos(wait),
				(requestsNanos >= tokensNanos) ? REQUESTS_PER_MINUTE_PROPERTY : TOKENS_PER_MINUTE_PROPERTY);
		// A request given up while it waits gives its reservation back.
		AtomicBoolean waited = new AtomicBoolean();
		return Mono.delay(Duration.ofNanos(wait), this.scheduler)
			.doOnNext((tick) -> waited.set(true))
			.doOnCancel(() -> {
				if (!waited.get()) {
					giveBack(budgets, tokens);
				}
			})
			.then(pause(budgets));
	}

	private void waited(Budgets budgets, long tokens, long requestsNanos, long tokensNanos) {
		if (budgets.requests != null) {
			this.meters.waited(KlusterRateLimitMeters.REQUESTS, Duration.ofNanos(requestsNanos));
		}
		if (budgets.tokens != null && tokens > 0) {
			this.meters.waited(KlusterRateLimitMeters.TOKENS, Duration.ofNanos(tokensNanos));
		}
	}

	// Requests that were already waiting when a 429 came hold back until its Retry-After.
	private Mono<Void> pause(Budgets budgets) {
		return Mono.defer(() -> {
			long until = budgets.pausedUntil.get();
			long now = this.scheduler.now(TimeUnit.NANOSECONDS);
			return (until > now) ? Mono.delay(Duration.ofNanos(until - now), this.scheduler).then() : Mono.empty();
		});
	}

	private void giveBack(Budgets budgets, long tokens) {
		if (budgets.requests != null) {
			giveBack(budgets.requestsKey, budgets.requests, 1);
		}
		if (budgets.tokens != null && tokens > 0) {
			giveBack(budgets.tokensKey, budgets.tokens, tokens);
		}
	}

	// Corrections and reservations given back are not waited for, and a failed one is lost.
	private void take(String key, BucketConfiguration configuration, long tokens) {
		if (this.localStore != null) {
			this.localStore.reserveNow(key, configuration, tokens);
		}
		else {
			this.store.reserve(key, configuration, tokens).onErrorComplete().subscribe();
		}
	}

	private void giveBack(String key, BucketConfiguration configuration, long tokens) {
		if (this.localStore != null) {
			this.localStore.giveBackNow(key, configuration, tokens);
		}
		else {
			this.store.giveBack(key, configuration, tokens).onErrorComplete().subscribe();
		}
	}

	private void onAnswer(Budgets budgets, ClientResponse response) {
		if (response.statusCode().value() != HttpStatus.TOO_MANY_REQUESTS.value()) {
			return;
		}
		Duration retryAfter = RetryAfter.parse(response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER),
				this.clock);
		if (retryAfter == null || retryAfter.isZero()) {
			return;
		}
		long until = this.scheduler.now(TimeUnit.NANOSECONDS) + retryAfter.toNanos();
		budgets.pausedUntil.accumulateAndGet(until, Math::max);
		BucketConfiguration drained = (budgets.requests != null) ? budgets.requests : budgets.tokens;
		if (drained != null) {
			String key = (budgets.requests != null) ? budgets.requestsKey : budgets.tokensKey;
			long perMinute = drained.getBandwidths()[0].getCapacity();
			long tokens = (long) Math.ceil((double) perMinute * retryAfter.toNanos() / MINUTE.toNanos());
			this.store.drain(key, drained, tokens).onErrorComplete().subscribe();
		}
	}

	private static void observe(ContextView context, Duration wait, String budget) {
		Object value = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
		// The WebClient's own observation is the current one here: the chat call's is its parent.
		for (ObservationView view = (value instanceof ObservationView found) ? found : null; view != null;
				view = view.getContextView().getParentObservation()) {
			if (view instanceof Observation observation
					&& observation.getContextView() instanceof KlusterChatObservationContext) {
				observation.event(Observation.Event.of(KlusterObservationDocumentation.Events.RATE_LIMIT_WAIT.getName(),
						"waited " + wait.toMillis() + " ms for " + budget));
				return;
			}
		}
	}

	private Budgets budgets(@Nullable String model) {
		String name = (model != null) ? model : ANY_MODEL;
		// A plain look-up first: computeIfAbsent's function is an object per call.
		Budgets known = this.budgets.get(name);
		return (known != null) ? known : this.budgets.computeIfAbsent(name, (key) -> {
			Limits own = this.models.get(key);
			if (own == null) {
				warnOfKeyWithoutItsPunctuation(key);
			}
			Limits limits = (own != null) ? own.orElse(this.defaults) : this.defaults;
			return new Budgets(key, limits, this.keyPrefix);
		});
	}

	// Spring Boot drops the characters of a map key that are neither letters, digits nor
	// "-" unless the key is in brackets, so models.deepseek-ai/DeepSeek-R1 in a properties
	// file configures a model "deepseek-aiDeepSeek-R1" that no request names. Told once per
	// model, when its budgets are made.
	private void warnOfKeyWithoutItsPunctuation(String model) {
		String stripped = model.replaceAll("[^A-Za-z0-9-]", "");
		if (stripped.equals(model)) {
			return;
		}
		for (String key : this.models.keySet()) {
			if (key.equalsIgnoreCase(stripped)) {
				logger.warn("kluster.rate-limit.models has limits for \"" + key + "\", which no request names, "
						+ "and requests of model \"" + model + "\" use the default limits: a model id with \"/\" "
						+ "or \".\" is a map key in brackets, kluster.rate-limit.models[" + model + "]");
			}
		}
	}

	/**
	 * The budgets of one model.
	 *
	 * @param requestsPerMinute requests per minute, {@code null} for no limit
	 * @param tokensPerMinute tokens per minute, {@code null} for no limit
	 */
	public record Limits(@Nullable Long requestsPerMinute, @Nullable Long tokensPerMinute) {

		/** No limit at all. */
		public static final Limits NONE = new Limits(null, null);

		/**
		 * Check the limits.
		 * @param requestsPerMinute requests per minute, from 1 to {@link #MAX_PER_MINUTE}, or
		 * {@code null}
		 * @param tokensPerMinute tokens per minute, from 1 to {@link #MAX_PER_MINUTE}, or
		 * {@code null}
		 */
		public Limits {
			Assert.isTrue(requestsPerMinute == null || (requestsPerMinute > 0 && requestsPerMinute <= MAX_PER_MINUTE),
					"requestsPerMinute must be between 1 and " + MAX_PER_MINUTE);
			Assert.isTrue(tokensPerMinute == null || (tokensPerMinute > 0 && tokensPerMinute <= MAX_PER_MINUTE),
					"tokensPerMinute must be between 1 and " + MAX_PER_MINUTE);
		}

		/**
		 * These limits, with those of {@code defaults} where these have none.
		 * @param defaults the limits that apply where these are unset
		 * @return the merged limits
		 */
		public Limits orElse(Limits defaults) {
			return new Limits((this.requestsPerMinute != null) ? this.requestsPerMinute : defaults.requestsPerMinute,
					(this.tokensPerMinute != null) ? this.tokensPerMinute : defaults.tokensPerMinute);
		}

	}

	/**
	 * What is left of a model's budgets.
	 *
	 * @param model the model, {@value KlusterRateLimit#ANY_MODEL} for requests without one
	 * @param requests requests left this minute, {@code null} when not limited
	 * @param tokens tokens left this minute, {@code null} when not limited
	 */
	public record Remaining(String model, @Nullable Long requests, @Nullable Long tokens) {
	}

	private static final class Budgets {

		private final String model;

		private final Limits limits;

		private final @Nullable BucketConfiguration requests;

		private final @Nullable BucketConfiguration tokens;

		private final String requestsKey;

		private final String tokensKey;

		// Scheduler time (nanoseconds) until which a 429 asked this instance to hold back.
		private final AtomicLong pausedUntil = new AtomicLong(Long.MIN_VALUE);

		Budgets(String model, Limits limits, String keyPrefix) {
			this.model = model;
			this.limits = limits;
			this.requests = perMinute(limits.requestsPerMinute());
			this.tokens = perMinute(limits.tokensPerMinute());
			this.requestsKey = keyPrefix + "requests:" + model;
			this.tokensKey = keyPrefix + "tokens:" + model;
		}

		Limits limits() {
			return this.limits;
		}

		boolean paused(Scheduler scheduler) {
			return this.pausedUntil.get() > scheduler.now(TimeUnit.NANOSECONDS);
		}

		// A request larger than a whole minute's budget waits for a full bucket instead of for ever.
		long clamp(long tokens) {
			Long perMinute = this.limits.tokensPerMinute();
			return (perMinute != null) ? Math.min(tokens, perMinute) : tokens;
		}

		private static @Nullable BucketConfiguration perMinute(@Nullable Long perMinute) {
			if (perMinute == null) {
				return null;
			}
			// The whole minute's budget may go at once (kluster.ai counts per minute too),
			// then it refills evenly: a request every 60 s / perMinute.
			return BucketConfiguration.builder()
				.addLimit((limit) -> limit.capacity(perMinute).refillGreedy(perMinute, MINUTE))
				.build();
		}

	}

	/**
	 * Builder of a {@link KlusterRateLimit}.
	 */
	public static final class Builder {

		private Limits defaults = Limits.NONE;

		private final Map<String, Limits> models = new LinkedHashMap<>();

		private Duration maxWait = DEFAULT_MAX_WAIT;

		private @Nullable KlusterRateLimitStore store;

		private @Nullable Scheduler scheduler;

		private KlusterRateLimitMeters meters = KlusterRateLimitMeters.NOOP;

		private String keyPrefix = DEFAULT_KEY_PREFIX;

		private Builder() {
		}

		/**
		 * The budgets of every model that has none of its own.
		 * @param defaults the limits
		 * @return this builder
		 */
		public Builder defaults(Limits defaults) {
			Assert.notNull(defaults, "defaults must not be null");
			this.defaults = defaults;
			return this;
		}

		/**
		 * The budgets of one model; an unset limit is the default's.
		 * @param model the model's id
		 * @param limits its limits
		 * @return this builder
		 */
		public Builder model(String model, Limits limits) {
			Assert.hasText(model, "model must not be empty");
			Assert.notNull(limits, "limits must not be null");
			this.models.put(model, limits);
			return this;
		}

		/**
		 * The longest wait for a budget; a request that would wait longer fails at once.
		 * Defaults to 30 seconds.
		 * @param maxWait the maximum wait, zero to never wait
		 * @return this builder
		 */
		public Builder maxWait(Duration maxWait) {
			Assert.isTrue(maxWait != null && !maxWait.isNegative(), "maxWait must not be negative");
			this.maxWait = maxWait;
			return this;
		}

		/**
		 * Where the budgets are kept. Defaults to a {@link LocalRateLimitStore} on the
		 * scheduler's clock.
		 * @param store the store
		 * @return this builder
		 */
		public Builder store(KlusterRateLimitStore store) {
			Assert.notNull(store, "store must not be null");
			this.store = store;
			return this;
		}

		/**
		 * The scheduler that waits are timed on, and whose clock a default store reads.
		 * Defaults to {@link Schedulers#parallel()}.
		 * @param scheduler the scheduler
		 * @return this builder
		 */
		public Builder scheduler(Scheduler scheduler) {
			Assert.notNull(scheduler, "scheduler must not be null");
			this.scheduler = scheduler;
			return this;
		}

		/**
		 * Where waits and refusals are counted.
		 * @param meters the meters
		 * @return this builder
		 */
		public Builder meters(KlusterRateLimitMeters meters) {
			Assert.notNull(meters, "meters must not be null");
			this.meters = meters;
			return this;
		}

		/**
		 * The prefix of the budgets' keys in a shared store: instances that share a budget
		 * use the same prefix, those of another account another one.
		 * @param keyPrefix the prefix
		 * @return this builder
		 */
		public Builder keyPrefix(String keyPrefix) {
			Assert.notNull(keyPrefix, "keyPrefix must not be null");
			this.keyPrefix = keyPrefix;
			return this;
		}

		/**
		 * Build the rate limit.
		 * @return the rate limit
		 */
		public KlusterRateLimit build() {
			return new KlusterRateLimit(this);
		}

	}

}
