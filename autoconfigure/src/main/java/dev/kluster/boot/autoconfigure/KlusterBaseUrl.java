package dev.kluster.boot.autoconfigure;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Checks {@code kluster.base-url} at start-up, so that a wrong URL fails the application
 * with a clear message instead of failing every call with a 404.
 */
final class KlusterBaseUrl {

	static final String PROPERTY = "kluster.base-url";

	static final String ALLOW_INSECURE_PROPERTY = "kluster.allow-insecure-base-url";

	// An IPv4 literal, or anything with a colon (IPv6); InetAddress parses both without DNS.
	private static final Pattern IP_LITERAL = Pattern.compile("(\\d{1,3}(\\.\\d{1,3}){3})|([0-9a-f:.]*:[0-9a-f:.]*)");

	private static final Log logger = LogFactory.getLog(KlusterBaseUrl.class);

	private KlusterBaseUrl() {
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
			throw invalid(value, "it is not a valid URI (" + ex.getReason() + ")");
		}
		if (!uri.isAbsolute() || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
				|| uri.getHost() == null) {
			throw invalid(value, "it must be an absolute http or https URL such as " + KlusterProperties.DEFAULT_BASE_URL);
		}
		if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
			throw invalid(value, "it must not have a query or a fragment");
		}
		String withoutSlash = trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
		// OpenAI-compatible clients append paths such as /chat/completions to the base URL:
		// without /v1 every call would miss the API.
		if (!withoutSlash.endsWith("/v1")) {
			throw invalid(value, "kluster.ai's API lives under the /v1 path; did you mean " + withoutSlash + "/v1 ?");
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
			throw invalid(baseUrl, "it sends the API key unencrypted to a host that is not the loopback interface; "
					+ "use https, or set " + ALLOW_INSECURE_PROPERTY + "=true to accept the risk");
		}
		logger.warn("kluster.base-url " + baseUrl + " is plain http to a host that is not the loopback interface: "
				+ "the kluster.ai API key crosses the network unencrypted, readable by anyone on the way. This is "
				+ "allowed by " + ALLOW_INSECURE_PROPERTY + "; do not use it outside a trusted network.");
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

	private static InvalidConfigurationPropertyValueException invalid(String value, String reason) {
		return new InvalidConfigurationPropertyValueException(PROPERTY, value, reason);
	}

}
