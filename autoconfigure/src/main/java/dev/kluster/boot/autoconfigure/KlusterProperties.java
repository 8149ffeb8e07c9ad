package dev.kluster.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.kluster.boot.batch.KlusterBatchSettings;
import dev.kluster.boot.client.ChatDefaults;
import dev.kluster.boot.client.EmbeddingDefaults;
import dev.kluster.boot.model.EncodingFormat;
import dev.kluster.boot.observation.DefaultKlusterChatObservationConvention;
import dev.kluster.boot.transport.KlusterConcurrencyLimit;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterRateLimit;
import dev.kluster.boot.transport.KlusterStoreFailover;
import dev.kluster.boot.transport.KlusterStoreFailureMode;
import dev.kluster.boot.transport.RedisSlots;
import dev.kluster.boot.transport.KlusterRetry;
import dev.kluster.boot.transport.KlusterTimeouts;
import dev.kluster.boot.validation.ValidationMode;
import dev.kluster.boot.validation.ValidationPolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;
import dev.kluster.boot.error.KlusterRedirectException;

/**
 * Configuration properties of the kluster.ai client. The defaults are the constants of
 * the classes they configure, and the values are checked by
 * {@link KlusterPropertyChecks} before anything is made of them.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("kluster")
public class KlusterProperties {

	/**
	 * Whether to auto-configure the kluster.ai client.
	 */
	private boolean enabled = true;

	/**
	 * API key sent as a bearer token. Prefer the KLUSTER_API_KEY environment variable to
	 * writing the key into a file.
	 */
	private @Nullable String apiKey;

	/**
	 * Base URL of kluster.ai's OpenAI-compatible API, including its /v1 path.
	 */
	private String baseUrl = KlusterConnection.DEFAULT_BASE_URL;

	/**
	 * Whether to accept a plain http base URL for a host that is not the loopback
	 * interface. The API key would cross the network readable by anyone on the way, so
	 * such a URL is refused unless this is set, and then still logged as a warning.
	 */
	private boolean allowInsecureBaseUrl;

	/**
	 * Whether a request with a body, such as a prompt or a batch upload, follows a
	 * redirect to another origin (another scheme, host or port than base-url's). The
	 * redirected request never carries the API key. When off, such a redirect fails the
	 * call with a KlusterRedirectException naming the target, and the body is not sent
	 * there. Requests without a body, and redirects within base-url's origin, are
	 * followed either way, as far as the HTTP client follows redirects at all.
	 */
	private boolean followCrossOriginRedirects;

	/**
	 * Longest wait for a TCP connection to kluster.ai. When unset, the connect timeout of
	 * the application's HTTP client settings applies.
	 */
	private @Nullable Duration connectTimeout;

	/**
	 * Longest wait, per attempt, for an answer to begin: the whole answer of a call that
	 * is not streamed, or the first chunk of a stream. Includes any wait for a free slot
	 * of max-concurrent-requests.
	 */
	private Duration responseTimeout = KlusterTimeouts.DEFAULT_RESPONSE_TIMEOUT;

	/**
	 * Longest silence of kluster.ai (no bytes arriving while the client reads) once a
	 * streamed answer has begun; a slow subscriber does not count. When unset, the response
	 * timeout applies.
	 */
	private @Nullable Duration streamIdleTimeout;

	/**
	 * Longest time of a whole call: every attempt, the backoffs between them and any wait
	 * for a free slot; a stream's until data: [DONE] arrives. When unset, there is no such
	 * limit.
	 */
	private @Nullable Duration totalTimeout;

	/**
	 * Most requests in flight to kluster.ai at once from this application, chat and batch
	 * calls together; a stream counts until it ends. Further calls wait, without blocking
	 * a thread, until a slot is free. Size it from the plan's concurrency limit divided by
	 * the number of instances. When unset, there is no limit.
	 */
	private @Nullable Integer maxConcurrentRequests;

	/**
	 * Longest wait for a free slot of max-concurrent-requests, after which the call fails
	 * without being sent; 0 fails at once when every slot is taken. When unset, calls
	 * wait as long as it takes, bounded by the response and total timeouts.
	 */
	private @Nullable Duration maxQueueWait;

	/**
	 * Largest answer held in memory: the body of a call that is not streamed, each event
	 * of a stream, and an error body. A larger one fails the call.
	 */
	@DataSizeUnit(DataUnit.BYTES)
	private DataSize maxResponseSize = DataSize.ofBytes(KlusterConnection.DEFAULT_MAX_RESPONSE_SIZE);

	private final Retry retry = new Retry();

	private final Chat chat = new Chat();

	private final Embedding embedding = new Embedding();

	private final Validation validation = new Validation();

	private final Observations observations = new Observations();

	private final Health health = new Health();

	private final Batch batch = new Batch();

	private final WarmUp warmUp = new WarmUp();

	private final RateLimit rateLimit = new RateLimit();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getApiKey() {
		return this.apiKey;
	}

	public void setApiKey(@Nullable String apiKey) {
		this.apiKey = apiKey;
	}

	public String getBaseUrl() {
		return this.baseUrl;
	}

	public void setBaseUrl(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	public boolean isAllowInsecureBaseUrl() {
		return this.allowInsecureBaseUrl;
	}

	public void setAllowInsecureBaseUrl(boolean allowInsecureBaseUrl) {
		this.allowInsecureBaseUrl = allowInsecureBaseUrl;
	}

	public boolean isFollowCrossOriginRedirects() {
		return this.followCrossOriginRedirects;
	}

	public void setFollowCrossOriginRedirects(boolean followCrossOriginRedirects) {
		this.followCrossOriginRedirects = followCrossOriginRedirects;
	}

	public @Nullable Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(@Nullable Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public @Nullable Duration getStreamIdleTimeout() {
		return this.streamIdleTimeout;
	}

	public void setStreamIdleTimeout(@Nullable Duration streamIdleTimeout) {
		this.streamIdleTimeout = streamIdleTimeout;
	}

	public @Nullable Duration getTotalTimeout() {
		return this.totalTimeout;
	}

	public void setTotalTimeout(@Nullable Duration totalTimeout) {
		this.totalTimeout = totalTimeout;
	}

	public @Nullable Integer getMaxConcurrentRequests() {
		return this.maxConcurrentRequests;
	}

	public void setMaxConcurrentRequests(@Nullable Integer maxConcurrentRequests) {
		this.maxConcurrentRequests = maxConcurrentRequests;
	}

	public @Nullable Duration getMaxQueueWait() {
		return this.maxQueueWait;
	}

	public void setMaxQueueWait(@Nullable Duration maxQueueWait) {
		this.maxQueueWait = maxQueueWait;
	}

	public DataSize getMaxResponseSize() {
		return this.maxResponseSize;
	}

	public void setMaxResponseSize(DataSize maxResponseSize) {
		this.maxResponseSize = maxResponseSize;
	}

	public Retry getRetry() {
		return this.retry;
	}

	KlusterTimeouts toTimeouts() {
		KlusterPropertyChecks.timeouts(this);
		return new KlusterTimeouts(this.responseTimeout,
				(this.streamIdleTimeout != null) ? this.streamIdleTimeout : this.responseTimeout, this.totalTimeout,
				this.connectTimeout);
	}

	KlusterConcurrencyLimit toConcurrencyLimit() {
		KlusterPropertyChecks.concurrencyLimit(this);
		return new KlusterConcurrencyLimit(this.maxConcurrentRequests, this.maxQueueWait);
	}

	KlusterConcurrencyLimit toConcurrencyLimit(RedisSlots shared, KlusterStoreFailover failover) {
		KlusterPropertyChecks.concurrencyLimit(this);
		return new KlusterConcurrencyLimit(this.maxConcurrentRequests, this.maxQueueWait, shared, failover,
				reactor.core.scheduler.Schedulers.parallel());
	}

	public Duration getResponseTimeout() {
		return this.responseTimeout;
	}

	public void setResponseTimeout(Duration responseTimeout) {
		this.responseTimeout = responseTimeout;
	}

	public Chat getChat() {
		return this.chat;
	}

	public Embedding getEmbedding() {
		return this.embedding;
	}

	public Validation getValidation() {
		return this.validation;
	}

	public Observations getObservations() {
		return this.observations;
	}

	public Health getHealth() {
		return this.health;
	}

	public Batch getBatch() {
		return this.batch;
	}

	public RateLimit getRateLimit() {
		return this.rateLimit;
	}

	public WarmUp getWarmUp() {
		return this.warmUp;
	}

	/**
	 * Retries of chat calls that failed for a reason that may pass: 429, 5xx other than
	 * 501, and connection failures.
	 */
	public static class Retry {

		/**
		 * Whether to retry failed chat and embedding calls.
		 */
		private boolean enabled = true;

		/**
		 * Most times a call is sent, the first attempt included.
		 */
		private int maxAttempts = KlusterRetry.DEFAULT_MAX_ATTEMPTS;

		/**
		 * Pause before the first retry; it doubles with each further retry, with random
		 * jitter.
		 */
		private Duration initialBackoff = KlusterRetry.DEFAULT_INITIAL_BACKOFF;

		/**
		 * Longest pause between two attempts, also the cap of a Retry-After the server
		 * sends.
		 */
		private Duration maxBackoff = KlusterRetry.DEFAULT_MAX_BACKOFF;

		/**
		 * Share of each pause, between 0 and 1, that is random, so that clients that failed
		 * together do not retry together.
		 */
		private double jitter = KlusterRetry.DEFAULT_JITTER;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public double getJitter() {
			return this.jitter;
		}

		public void setJitter(double jitter) {
			this.jitter = jitter;
		}

		KlusterRetry toRetry() {
			if (!this.enabled) {
				return KlusterRetry.none();
			}
			KlusterPropertyChecks.retry(this);
			return KlusterRetry.of(this.maxAttempts, this.initialBackoff, this.maxBackoff, this.jitter);
		}

	}

	/**
	 * Values that fill what a chat request leaves unset.
	 */
	public static class Chat {

		/**
		 * Model used when a request names none.
		 */
		private @Nullable String model = ChatDefaults.DEFAULT_MODEL;

		/**
		 * Sampling temperature, between 0 and 2, used when a request sets none.
		 */
		private @Nullable Double temperature;

		/**
		 * Nucleus sampling probability mass, between 0 and 1, used when a request sets none.
		 */
		private @Nullable Double topP;

		/**
		 * Upper bound of generated tokens used when a request sets none.
		 */
		private @Nullable Integer maxCompletionTokens;

		/**
		 * Frequency penalty, between -2 and 2, used when a request sets none.
		 */
		private @Nullable Double frequencyPenalty;

		/**
		 * Presence penalty, between -2 and 2, used when a request sets none.
		 */
		private @Nullable Double presencePenalty;

		/**
		 * Stop sequences, at most 4, used when a request sets none.
		 */
		private @Nullable List<String> stop;

		public @Nullable String getModel() {
			return this.model;
		}

		public void setModel(@Nullable String model) {
			this.model = model;
		}

		public @Nullable Double getTemperature() {
			return this.temperature;
		}

		public void setTemperature(@Nullable Double temperature) {
			this.temperature = temperature;
		}

		public @Nullable Double getTopP() {
			return this.topP;
		}

		public void setTopP(@Nullable Double topP) {
			this.topP = topP;
		}

		public @Nullable Integer getMaxCompletionTokens() {
			return this.maxCompletionTokens;
		}

		public void setMaxCompletionTokens(@Nullable Integer maxCompletionTokens) {
			this.maxCompletionTokens = maxCompletionTokens;
		}

		public @Nullable Double getFrequencyPenalty() {
			return this.frequencyPenalty;
		}

		public void setFrequencyPenalty(@Nullable Double frequencyPenalty) {
			this.frequencyPenalty = frequencyPenalty;
		}

		public @Nullable Double getPresencePenalty() {
			return this.presencePenalty;
		}

		public void setPresencePenalty(@Nullable Double presencePenalty) {
			this.presencePenalty = presencePenalty;
		}

		public @Nullable List<String> getStop() {
			return this.stop;
		}

		public void setStop(@Nullable List<String> stop) {
			this.stop = stop;
		}

		ChatDefaults toDefaults() {
			return new ChatDefaults(this.model, this.temperature, this.topP, this.maxCompletionTokens,
					this.frequencyPenalty, this.presencePenalty, (this.stop != null) ? List.copyOf(this.stop) : null);
		}

	}

	/**
	 * Defaults of embedding requests ({@code POST /embeddings}).
	 */
	public static class Embedding {

		/**
		 * Model used when an embedding request names none. No default: set it to an
		 * embedding model your account lists (GET /models), or name the model in each
		 * request.
		 */
		private @Nullable String model;

		/**
		 * Encoding of the vectors on the wire when a request names none: float (the
		 * server's default) or base64, about a third of the size. Both are read as floats.
		 */
		private @Nullable EncodingFormat encodingFormat;

		public @Nullable String getModel() {
			return this.model;
		}

		public void setModel(@Nullable String model) {
			this.model = model;
		}

		public @Nullable EncodingFormat getEncodingFormat() {
			return this.encodingFormat;
		}

		public void setEncodingFormat(@Nullable EncodingFormat encodingFormat) {
			this.encodingFormat = encodingFormat;
		}

		EmbeddingDefaults toDefaults() {
			return new EmbeddingDefaults(this.model, this.encodingFormat);
		}

	}

	/**
	 * Checks of requests before they are sent.
	 */
	public static class Validation {

		/**
		 * What to do with a parameter kluster.ai does not support: reject the request, drop
		 * the parameter with a warning, or send everything unchecked.
		 */
		private ValidationMode mode = ValidationMode.REJECT;

		/**
		 * Request fields kluster.ai does not support, by their JSON names. Defaults to the
		 * list of kluster.ai's OpenAI compatibility page.
		 */
		private Set<String> unsupportedRequestParameters = new LinkedHashSet<>(
				ValidationPolicy.DEFAULT_UNSUPPORTED_REQUEST_PARAMETERS);

		/**
		 * Message fields kluster.ai does not support, by their JSON names. Defaults to the
		 * list of kluster.ai's OpenAI compatibility page.
		 */
		private Set<String> unsupportedMessageParameters = new LinkedHashSet<>(
				ValidationPolicy.DEFAULT_UNSUPPORTED_MESSAGE_PARAMETERS);

		/**
		 * Embedding request fields kluster.ai does not support, by their JSON names.
		 * Defaults to the fields kluster.ai's reference does not document.
		 */
		private Set<String> unsupportedEmbeddingParameters = new LinkedHashSet<>(
				ValidationPolicy.DEFAULT_UNSUPPORTED_EMBEDDING_PARAMETERS);

		/**
		 * Parameters to accept although they are on one of the unsupported lists, for
		 * example tools on a Llama model that supports them. Message fields are named
		 * messages[].name, embedding request fields embeddings.dimensions.
		 */
		private Set<String> allowedParameters = new LinkedHashSet<>();

		/**
		 * What to use instead of an unsupported parameter, by parameter name; added to and
		 * overriding the built-in hints.
		 */
		private Map<String, String> hints = new LinkedHashMap<>();

		public ValidationMode getMode() {
			return this.mode;
		}

		public void setMode(ValidationMode mode) {
			this.mode = mode;
		}

		public Set<String> getUnsupportedRequestParameters() {
			return this.unsupportedRequestParameters;
		}

		public void setUnsupportedRequestParameters(Set<String> unsupportedRequestParameters) {
			this.unsupportedRequestParameters = unsupportedRequestParameters;
		}

		public Set<String> getUnsupportedMessageParameters() {
			return this.unsupportedMessageParameters;
		}

		public void setUnsupportedMessageParameters(Set<String> unsupportedMessageParameters) {
			this.unsupportedMessageParameters = unsupportedMessageParameters;
		}

		public Set<String> getUnsupportedEmbeddingParameters() {
			return this.unsupportedEmbeddingParameters;
		}

		public void setUnsupportedEmbeddingParameters(Set<String> unsupportedEmbeddingParameters) {
			this.unsupportedEmbeddingParameters = unsupportedEmbeddingParameters;
		}

		public Set<String> getAllowedParameters() {
			return this.allowedParameters;
		}

		public void setAllowedParameters(Set<String> allowedParameters) {
			this.allowedParameters = allowedParameters;
		}

		public Map<String, String> getHints() {
			return this.hints;
		}

		public void setHints(Map<String, String> hints) {
			this.hints = hints;
		}

		ValidationPolicy toPolicy() {
			Map<String, String> allHints = new LinkedHashMap<>(ValidationPolicy.DEFAULT_HINTS);
			allHints.putAll(this.hints);
			return new ValidationPolicy(this.mode, this.unsupportedRequestParameters, this.unsupportedMessageParameters,
					allHints, this.unsupportedEmbeddingParameters)
				.allowing(this.allowedParameters.toArray(String[]::new));
		}

	}

	/**
	 * Observation of client calls: metrics and traces through Micrometer.
	 */
	public static class Observations {

		/**
		 * Whether to record prompts and completions on trace spans, as the
		 * gen_ai.input.messages and gen_ai.output.messages attributes. They may contain
		 * personal or confidential data.
		 */
		private boolean includeContent;

		/**
		 * Whether to publish the gen_ai.* timers and the token usage as histograms with the
		 * bucket boundaries the OpenTelemetry GenAI conventions recommend.
		 */
		private boolean histograms = true;

		/**
		 * Most distinct model names used as values of the gen_ai.request.model and
		 * gen_ai.response.model tags; further models are tagged _OTHER, while spans keep
		 * the exact name.
		 */
		private int maxModelTags = DefaultKlusterChatObservationConvention.DEFAULT_MAX_MODEL_TAG_VALUES;

		public boolean isIncludeContent() {
			return this.includeContent;
		}

		public void setIncludeContent(boolean includeContent) {
			this.includeContent = includeContent;
		}

		public boolean isHistograms() {
			return this.histograms;
		}

		public void setHistograms(boolean histograms) {
			this.histograms = histograms;
		}

		public int getMaxModelTags() {
			return this.maxModelTags;
		}

		public void setMaxModelTags(int maxModelTags) {
			this.maxModelTags = maxModelTags;
		}

	}

	/**
	 * Actuator health indicator that lists kluster.ai's models.
	 */
	public static class Health {

		/**
		 * Whether to contribute the kluster health indicator, which calls GET /models.
		 */
		private boolean enabled;

		/**
		 * How long a health result is reused before kluster.ai is called again.
		 */
		private Duration cacheTtl = Duration.ofSeconds(30);

		/**
		 * Longest wait for kluster.ai's answer to a health probe; a slower answer reports
		 * the component as down.
		 */
		private Duration timeout = Duration.ofSeconds(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getCacheTtl() {
			return this.cacheTtl;
		}

		public void setCacheTtl(Duration cacheTtl) {
			this.cacheTtl = cacheTtl;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * Batch jobs: upload, polling and results.
	 */
	public static class Batch {

		/**
		 * Pause between two polls of a batch that is changing.
		 */
		private Duration pollInterval = KlusterBatchSettings.DEFAULT_POLL_INTERVAL;

		/**
		 * Longest pause between two polls of a batch that is not changing.
		 */
		private Duration maxPollInterval = KlusterBatchSettings.DEFAULT_MAX_POLL_INTERVAL;

		/**
		 * Factor applied to the pause after each poll that finds a batch unchanged; at
		 * least 1.
		 */
		private double pollBackoffMultiplier = KlusterBatchSettings.DEFAULT_POLL_BACKOFF_MULTIPLIER;

		/**
		 * Failed polls (rate limit, server error other than 501, connection failure,
		 * timeout) tried again in a row before waiting for a batch gives up.
		 */
		private int maxPollRetries = KlusterBatchSettings.DEFAULT_MAX_POLL_RETRIES;

		/**
		 * Largest input file to upload, at most kluster.ai's limit of 100 MB; a batch that
		 * would be larger is refused before anything is uploaded.
		 */
		@DataSizeUnit(DataUnit.BYTES)
		private DataSize maxFileSize = KlusterBatchSettings.MAX_FILE_SIZE;

		/**
		 * Largest line of a result file held in memory while it arrives.
		 */
		private DataSize maxResultLineSize = KlusterBatchSettings.DEFAULT_MAX_RESULT_LINE_SIZE;

		/**
		 * Longest wait for the answer to a batch call that is not an upload or a download.
		 */
		private Duration requestTimeout = KlusterBatchSettings.DEFAULT_REQUEST_TIMEOUT;

		/**
		 * Completion window of batches created without one: 24h, 48h or 72h.
		 */
		private String completionWindow = KlusterBatchSettings.DEFAULT_COMPLETION_WINDOW;

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public Duration getMaxPollInterval() {
			return this.maxPollInterval;
		}

		public void setMaxPollInterval(Duration maxPollInterval) {
			this.maxPollInterval = maxPollInterval;
		}

		public double getPollBackoffMultiplier() {
			return this.pollBackoffMultiplier;
		}

		public void setPollBackoffMultiplier(double pollBackoffMultiplier) {
			this.pollBackoffMultiplier = pollBackoffMultiplier;
		}

		public int getMaxPollRetries() {
			return this.maxPollRetries;
		}

		public void setMaxPollRetries(int maxPollRetries) {
			this.maxPollRetries = maxPollRetries;
		}

		public DataSize getMaxFileSize() {
			return this.maxFileSize;
		}

		public void setMaxFileSize(DataSize maxFileSize) {
			this.maxFileSize = maxFileSize;
		}

		public DataSize getMaxResultLineSize() {
			return this.maxResultLineSize;
		}

		public void setMaxResultLineSize(DataSize maxResultLineSize) {
			this.maxResultLineSize = maxResultLineSize;
		}

		public Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		public void setRequestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
		}

		public String getCompletionWindow() {
			return this.completionWindow;
		}

		public void setCompletionWindow(String completionWindow) {
			this.completionWindow = completionWindow;
		}

		KlusterBatchSettings toSettings() {
			KlusterPropertyChecks.batch(this);
			return new KlusterBatchSettings(this.pollInterval, this.maxPollInterval, this.pollBackoffMultiplier,
					this.maxPollRetries, this.maxFileSize, this.maxResultLineSize, this.requestTimeout,
					this.completionWindow);
		}

	}

	/**
	 * Preparing the client for its first call once the application is ready.
	 */
	public static class WarmUp {

		/**
		 * Whether to prepare, in the background once the application is ready, what the
		 * first call would otherwise prepare: the WebClient, the HTTP client's event loops
		 * and SSL context, the JSON readers and writers, and the code of a call, run once
		 * in an exchange with a server of its own on the loopback interface. Nothing is
		 * sent to kluster.ai.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Pacing of requests and tokens per minute, per model, and where the budgets and the
	 * concurrency slots are kept.
	 */
	public static class RateLimit {

		/**
		 * Requests per minute of each model that has no limit of its own under models: a
		 * minute's requests may go at once, then one every 60 s / this number. Requests
		 * without a model (lists of models, batch calls and polls) share one such budget.
		 * When unset, requests are not counted.
		 */
		private @Nullable Long requestsPerMinute;

		/**
		 * Tokens per minute of each model that has no limit of its own under models. A
		 * request counts its JSON body's characters / 4 plus its max_completion_tokens
		 * before it is sent, corrected with the usage kluster.ai reports. When unset,
		 * tokens are not counted.
		 */
		private @Nullable Long tokensPerMinute;

		/**
		 * Longest wait for a budget; a request that would wait longer fails at once with
		 * KlusterRateLimitWaitException, without being sent. 0 never waits.
		 */
		private Duration maxWait = KlusterRateLimit.DEFAULT_MAX_WAIT;

		/**
		 * Limits of particular models, by model id; a limit left unset is the default's.
		 */
		private Map<String, Model> models = new LinkedHashMap<>();

		/**
		 * Where the budgets and the slots of kluster.max-concurrent-requests are kept:
		 * local (this instance) or redis (shared by every instance using the same Redis,
		 * configured with spring.data.redis.*).
		 */
		private Store store = Store.LOCAL;

		/**
		 * What a request does when the shared store does not answer within store-timeout:
		 * local counts in this instance alone until the store is back, fail fails the
		 * request with KlusterRateLimitStoreException.
		 */
		private KlusterStoreFailureMode onStoreFailure = KlusterStoreFailureMode.LOCAL;

		/**
		 * Longest wait for an answer of the shared store, after which on-store-failure
		 * applies.
		 */
		private Duration storeTimeout = KlusterStoreFailureMode.DEFAULT_STORE_TIMEOUT;

		/**
		 * Life of a shared concurrency slot that is not renewed; a running request renews
		 * its slot every third of it, so that the slots of an instance that died come back
		 * after this time.
		 */
		private Duration leaseTime = KlusterConcurrencyLimit.DEFAULT_LEASE_TIME;

		/**
		 * Prefix of the keys in the shared store; instances that share a plan use the same.
		 */
		private String keyPrefix = KlusterRateLimit.DEFAULT_KEY_PREFIX;

		public @Nullable Long getRequestsPerMinute() {
			return this.requestsPerMinute;
		}

		public void setRequestsPerMinute(@Nullable Long requestsPerMinute) {
			this.requestsPerMinute = requestsPerMinute;
		}

		public @Nullable Long getTokensPerMinute() {
			return this.tokensPerMinute;
		}

		public void setTokensPerMinute(@Nullable Long tokensPerMinute) {
			this.tokensPerMinute = tokensPerMinute;
		}

		public Duration getMaxWait() {
			return this.maxWait;
		}

		public void setMaxWait(Duration maxWait) {
			this.maxWait = maxWait;
		}

		public Map<String, Model> getModels() {
			return this.models;
		}

		public void setModels(Map<String, Model> models) {
			this.models = models;
		}

		public Store getStore() {
			return this.store;
		}

		public void setStore(Store store) {
			this.store = store;
		}

		public KlusterStoreFailureMode getOnStoreFailure() {
			return this.onStoreFailure;
		}

		public void setOnStoreFailure(KlusterStoreFailureMode onStoreFailure) {
			this.onStoreFailure = onStoreFailure;
		}

		public Duration getStoreTimeout() {
			return this.storeTimeout;
		}

		public void setStoreTimeout(Duration storeTimeout) {
			this.storeTimeout = storeTimeout;
		}

		public Duration getLeaseTime() {
			return this.leaseTime;
		}

		public void setLeaseTime(Duration leaseTime) {
			this.leaseTime = leaseTime;
		}

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		/**
		 * Whether any budget is configured.
		 * @return {@code true} when requests or tokens are counted for some model
		 */
		boolean hasBudgets() {
			return this.requestsPerMinute != null || this.tokensPerMinute != null || !this.models.isEmpty();
		}

		KlusterRateLimit.Builder toBuilder() {
			KlusterPropertyChecks.rateLimit(this);
			KlusterRateLimit.Builder builder = KlusterRateLimit.builder()
				.defaults(new KlusterRateLimit.Limits(this.requestsPerMinute, this.tokensPerMinute))
				.maxWait(this.maxWait)
				.keyPrefix(this.keyPrefix);
			this.models.forEach((model, limits) -> builder.model(model,
					new KlusterRateLimit.Limits(limits.getRequestsPerMinute(), limits.getTokensPerMinute())));
			return builder;
		}

		/**
		 * Where budgets and slots are kept.
		 */
		public enum Store {

			/**
			 * In this instance.
			 */
			LOCAL,

			/**
			 * In Redis, shared by every instance that uses it.
			 */
			REDIS

		}

		/**
		 * The limits of one model.
		 */
		public static class Model {

			/**
			 * Requests per minute of the model.
			 */
			private @Nullable Long requestsPerMinute;

			/**
			 * Tokens per minute of the model.
			 */
			private @Nullable Long tokensPerMinute;

			public @Nullable Long getRequestsPerMinute() {
				return this.requestsPerMinute;
			}

			public void setRequestsPerMinute(@Nullable Long requestsPerMinute) {
				this.requestsPerMinute = requestsPerMinute;
			}

			public @Nullable Long getTokensPerMinute() {
				return this.tokensPerMinute;
			}

			public void setTokensPerMinute(@Nullable Long tokensPerMinute) {
				this.tokensPerMinute = tokensPerMinute;
			}

		}

	}

}
