package dev.kluster.boot.autoconfigure;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.kluster.boot.batch.KlusterBatchSettings;
import dev.kluster.boot.error.KlusterQueueTimeoutException;
import dev.kluster.boot.error.KlusterRateLimitWaitException;
import dev.kluster.boot.transport.KlusterRateLimit;
import dev.kluster.boot.error.KlusterResponseTooLargeException;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterTimeouts;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * The checks of {@code kluster.*} property values, all in one place, made before
 * anything is built from them: a wrong value fails the application at start-up with an
 * {@link InvalidConfigurationPropertyValueException} that names the property, its value
 * and the reason (Boot's failure analysis shows all three), instead of failing calls
 * later or failing with the argument check of the object it would have made.
 */
final class KlusterPropertyChecks {

	static final String BASE_URL = "kluster.base-url";

	static final String ALLOW_INSECURE_BASE_URL = "kluster.allow-insecure-base-url";

	static final String MAX_CONCURRENT_REQUESTS = "kluster.max-concurrent-requests";

	static final String MAX_MODEL_TAGS = "kluster.observations.max-model-tags";

	private static final int MAX_SIZE = Integer.MAX_VALUE;

	// An IPv4 literal, or anything with a colon (IPv6); InetAddress parses both without DNS.
	private static final Pattern IP_LITERAL = Pattern.compile("(\\d{1,3}(\\.\\d{1,3}){3})|([0-9a-f:.]*:[0-9a-f:.]*)");

	private static final Log logger = LogFactory.getLog(KlusterPropertyChecks.class);

	private KlusterPropertyChecks() {
	}

	/**
	 * The API key, which must be set.
	 * @param properties the properties
	 * @return the key
	 * @throws KlusterApiKeyMissingException if it is not set
	 */
	static String apiKey(KlusterProperties properties) {
		String apiKey = properties.getApiKey();
		if (!StringUtils.hasText(apiKey)) {
			throw new KlusterApiKeyMissingException();
		}
		return apiKey;
	}

	/**
	 * The base URL, checked for what it is and for how it carries the key: a wrong URL
	 * fails the application with a clear message instead of failing every call with a
	 * 404.
	 * @param properties the properties
	 * @return the URL without trailing slash
	 * @throws InvalidConfigurationPropertyValueException if the URL is unusable or refused
	 */
	static String baseUrl(KlusterProperties properties) {
		String baseUrl = check(properties.getBaseUrl());
		checkTransport(baseUrl, properties.isAllowInsecureBaseUrl());
		return baseUrl;
	}

	/**
	 * Check the URL and drop a trailing slash.
	 * @param value the configured URL
	 * @return the URL without trailing slash
	 * @throws InvalidConfigurationPropertyValueException if the URL is unusable
	 */
	static String check(String value) {
		String trimmed = value.strip();
		URI uri;
		try {
			uri = new URI(trimmed);
		}
		catch (URISyntaxException ex) {
			throw invalidBaseUrl(value, "it is not a valid URI (" + ex.getReason() + ")");
		}
		if (!uri.isAbsolute() || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
				|| uri.getHost() == null) {
			throw invalidBaseUrl(value,
					"it must be an absolute http or https URL such as " + KlusterConnection.DEFAULT_BASE_URL);
		}
		if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
			throw invalidBaseUrl(value, "it must not have a query or a fragment");
		}
		String withoutSlash = trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
		// OpenAI-compatible clients append paths such as /chat/completions to the base URL:
		// without /v1 every call would miss the API.
		if (!withoutSlash.endsWith("/v1")) {
			throw invalidBaseUrl(value,
					"kluster.ai's API lives under the /v1 path; did you mean " + withoutSlash + "/v1 ?");
		}
		return withoutSlash;
	}

	/**
	 * Refuse a plain http URL for a host other than the loopback interface, unless
	 * {@code kluster.allow-insecure-base-url} is set, in which case it is logged loudly:
	 * the API key would travel readable by anyone on the network.
	 * @param baseUrl the checked base URL
	 * @param allowInsecure whether the application allows such a URL
	 * @throws InvalidConfigurationPropertyValueException if the URL is refused
	 */
	static void checkTransport(String baseUrl, boolean allowInsecure) {
		URI uri = URI.create(baseUrl);
		if ("https".equalsIgnoreCase(uri.getScheme()) || isLoopback(uri.getHost())) {
			return;
		}
		if (!allowInsecure) {
			throw invalidBaseUrl(baseUrl, "it sends the API key unencrypted to a host that is not the loopback "
					+ "interface; use https, or set " + ALLOW_INSECURE_BASE_URL + "=true to accept the risk");
		}
		logger.warn(BASE_URL + " " + baseUrl + " is plain http to a host that is not the loopback interface: "
				+ "the kluster.ai API key crosses the network unencrypted, readable by anyone on the way. This is "
				+ "allowed by " + ALLOW_INSECURE_BASE_URL + "; do not use it outside a trusted network.");
	}

	// No name resolution: a host name counts as loopback only if it is localhost itself, so
	// that what a DNS server answers cannot decide where the key goes unencrypted. Not
	// *.localhost: RFC 6761 asks resolvers to answer it with loopback, but Java resolves
	// such names through the system resolver and DNS like any other.
	static boolean isLoopback(String host) {
		String name = host.toLowerCase(Locale.ROOT);
		if (name.equals("localhost")) {
			return true;
		}
		if (name.startsWith("[") && name.endsWith("]")) {
			name = name.substring(1, name.length() - 1);
		}
		if (!IP_LITERAL.matcher(name).matches()) {
			return false;
		}
		try {
			return InetAddress.getByName(name).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	/**
	 * {@code kluster.max-response-size}, which a codec holds as an {@code int}.
	 * @param properties the properties
	 * @return the size in bytes
	 */
	static int maxResponseSize(KlusterProperties properties) {
		return bytesUpTo2Gb(KlusterResponseTooLargeException.PROPERTY, properties.getMaxResponseSize());
	}

	/**
	 * {@code kluster.max-concurrent-requests} and {@code kluster.max-queue-wait}, checked
	 * when there is a limit.
	 * @param properties the properties
	 */
	static void concurrencyLimit(KlusterProperties properties) {
		Integer maxConcurrentRequests = properties.getMaxConcurrentRequests();
		if (maxConcurrentRequests == null || maxConcurrentRequests < 1) {
			throw new InvalidConfigurationPropertyValueException(MAX_CONCURRENT_REQUESTS, maxConcurrentRequests,
					"it must be at least 1; leave it unset for no limit");
		}
		notNegative(KlusterQueueTimeoutException.PROPERTY, properties.getMaxQueueWait());
	}

	/**
	 * The time limits of chat calls.
	 * @param properties the properties
	 */
	static void timeouts(KlusterProperties properties) {
		positive(KlusterTimeouts.RESPONSE_TIMEOUT_PROPERTY, properties.getResponseTimeout());
		positive(KlusterTimeouts.STREAM_IDLE_TIMEOUT_PROPERTY, properties.getStreamIdleTimeout());
		positive(KlusterTimeouts.TOTAL_TIMEOUT_PROPERTY, properties.getTotalTimeout());
	}

	/**
	 * {@code kluster.retry.*}, checked when retries are enabled.
	 * @param retry the retry properties
	 */
	static void retry(KlusterProperties.Retry retry) {
		if (retry.getMaxAttempts() < 1) {
			throw new InvalidConfigurationPropertyValueException("kluster.retry.max-attempts", retry.getMaxAttempts(),
					"it must be at least 1; set kluster.retry.enabled=false to send each call once");
		}
		notNegative("kluster.retry.initial-backoff", retry.getInitialBackoff());
		notNegative("kluster.retry.max-backoff", retry.getMaxBackoff());
		if (retry.getInitialBackoff().compareTo(retry.getMaxBackoff()) > 0) {
			throw new InvalidConfigurationPropertyValueException("kluster.retry.initial-backoff",
					retry.getInitialBackoff(),
					"it must not be longer than kluster.retry.max-backoff (" + retry.getMaxBackoff() + ")");
		}
		if (!(retry.getJitter() >= 0 && retry.getJitter() <= 1)) {
			throw new InvalidConfigurationPropertyValueException("kluster.retry.jitter", retry.getJitter(),
					"it must be between 0 and 1");
		}
	}

	/**
	 * {@code kluster.observations.*}.
	 * @param observations the observation properties
	 */
	static void observations(KlusterProperties.Observations observations) {
		if (observations.getMaxModelTags() < 0) {
			throw new InvalidConfigurationPropertyValueException(MAX_MODEL_TAGS, observations.getMaxModelTags(),
					"it must not be negative");
		}
	}

	/**
	 * {@code kluster.batch.*}.
	 * @param batch the batch properties
	 */
	static void batch(KlusterProperties.Batch batch) {
		positive("kluster.batch.poll-interval", batch.getPollInterval());
		positive("kluster.batch.max-poll-interval", batch.getMaxPollInterval());
		if (batch.getMaxPollInterval().compareTo(batch.getPollInterval()) < 0) {
			throw new InvalidConfigurationPropertyValueException("kluster.batch.max-poll-interval",
					batch.getMaxPollInterval(),
					"it must not be shorter than kluster.batch.poll-interval (" + batch.getPollInterval() + ")");
		}
		if (!(batch.getPollBackoffMultiplier() >= 1)) {
			throw new InvalidConfigurationPropertyValueException("kluster.batch.poll-backoff-multiplier",
					batch.getPollBackoffMultiplier(), "it must be at least 1");
		}
		if (batch.getMaxPollRetries() < 0) {
			throw new InvalidConfigurationPropertyValueException("kluster.batch.max-poll-retries",
					batch.getMaxPollRetries(), "it must not be negative");
		}
		DataSize maxFileSize = batch.getMaxFileSize();
		if (maxFileSize.toBytes() <= 0 || maxFileSize.compareTo(KlusterBatchSettings.MAX_FILE_SIZE) > 0) {
			throw new InvalidConfigurationPropertyValueException("kluster.batch.max-file-size", maxFileSize,
					"it must be positive and at most kluster.ai's limit of "
							+ KlusterBatchSettings.MAX_FILE_SIZE.toBytes() + " bytes");
		}
		bytesUpTo2Gb("kluster.batch.max-result-line-size", batch.getMaxResultLineSize());
		positive("kluster.batch.request-timeout", batch.getRequestTimeout());
	}

	/**
	 * {@code kluster.rate-limit.*}.
	 * @param rateLimit the rate-limit properties
	 */
	static void rateLimit(KlusterProperties.RateLimit rateLimit) {
		perMinute(KlusterRateLimit.REQUESTS_PER_MINUTE_PROPERTY, rateLimit.getRequestsPerMinute());
		perMinute(KlusterRateLimit.TOKENS_PER_MINUTE_PROPERTY, rateLimit.getTokensPerMinute());
		rateLimit.getModels().forEach((model, limits) -> {
			perMinute("kluster.rate-limit.models[" + model + "].requests-per-minute", limits.getRequestsPerMinute());
			perMinute("kluster.rate-limit.models[" + model + "].tokens-per-minute", limits.getTokensPerMinute());
		});
		notNegative(KlusterRateLimitWaitException.MAX_WAIT_PROPERTY, rateLimit.getMaxWait());
		positive("kluster.rate-limit.store-timeout", rateLimit.getStoreTimeout());
		positive("kluster.rate-limit.lease-time", rateLimit.getLeaseTime());
		if (rateLimit.getLeaseTime().compareTo(Duration.ofMillis(300)) < 0) {
			throw new InvalidConfigurationPropertyValueException("kluster.rate-limit.lease-time",
					rateLimit.getLeaseTime(), "it must be at least 300ms, as a slot is renewed every third of it");
		}
	}

	/**
	 * Refuse {@code kluster.rate-limit.store=redis} where the shared store could not be
	 * made, rather than count in each instance alone unnoticed.
	 * @param rateLimit the rate-limit properties
	 * @param made whether the shared store's beans exist
	 */
	static void sharedStore(KlusterProperties.RateLimit rateLimit, boolean made) {
		if (rateLimit.getStore() == KlusterProperties.RateLimit.Store.REDIS && !made) {
			throw new InvalidConfigurationPropertyValueException("kluster.rate-limit.store", "redis",
					"it needs Spring Boot's Redis support (spring-boot-starter-data-redis, with Lettuce) and "
							+ "com.bucket4j:bucket4j_jdk17-lettuce on the class path");
		}
	}

	private static void perMinute(String name, @Nullable Long value) {
		if (value != null && (value < 1 || value > KlusterRateLimit.MAX_PER_MINUTE)) {
			throw new InvalidConfigurationPropertyValueException(name, value,
					"it must be between 1 and " + KlusterRateLimit.MAX_PER_MINUTE + "; leave it unset for no limit");
		}
	}

	private static void positive(String name, @Nullable Duration value) {
		if (value != null && (value.isNegative() || value.isZero())) {
			throw new InvalidConfigurationPropertyValueException(name, value, "it must be positive");
		}
	}

	private static void notNegative(String name, @Nullable Duration value) {
		if (value != null && value.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(name, value, "it must not be negative");
		}
	}

	private static int bytesUpTo2Gb(String name, DataSize value) {
		long bytes = value.toBytes();
		if (bytes <= 0 || bytes > MAX_SIZE) {
			throw new InvalidConfigurationPropertyValueException(name, value, "it must be between 1 byte and 2 GB");
		}
		return (int) bytes;
	}

	private static InvalidConfigurationPropertyValueException invalidBaseUrl(String value, String reason) {
		return new InvalidConfigurationPropertyValueException(BASE_URL, value, reason);
	}

}
