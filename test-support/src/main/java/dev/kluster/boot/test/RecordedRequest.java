package dev.kluster.boot.test;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

import org.springframework.http.HttpHeaders;

/**
 * A request that a {@link KlusterStandIn} received, as it arrived.
 *
 * @since 0.1.0
 */
public final class RecordedRequest {

	private final String requestId;

	private final String method;

	private final String path;

	private final HttpHeaders headers;

	private final String body;

	private final JsonMapper jsonMapper;

	private volatile @Nullable JsonNode json;

	RecordedRequest(String requestId, String method, String path, HttpHeaders headers, String body,
			JsonMapper jsonMapper) {
		this.requestId = requestId;
		this.method = method;
		this.path = path;
		this.headers = headers;
		this.body = body;
		this.jsonMapper = jsonMapper;
	}

	/**
	 * The id the stand-in answered in its {@code x-request-id} header.
	 * @return the id, {@code req_<n>}
	 */
	public String requestId() {
		return this.requestId;
	}

	/**
	 * The HTTP method.
	 * @return the method, e.g. {@code POST}
	 */
	public String method() {
		return this.method;
	}

	/**
	 * The path, with the query string if there was one.
	 * @return the path, e.g. {@code /v1/chat/completions}
	 */
	public String path() {
		return this.path;
	}

	/**
	 * The request headers; names are case-insensitive.
	 * @return the read-only headers
	 */
	public HttpHeaders headers() {
		return this.headers;
	}

	/**
	 * The first value of a header.
	 * @param name the header name, in any case
	 * @return the value, or {@code null} when the request had no such header
	 */
	public @Nullable String header(String name) {
		return this.headers.getFirst(name);
	}

	/**
	 * The body as text.
	 * @return the body, empty when there was none
	 */
	public String body() {
		return this.body;
	}

	/**
	 * The body as JSON.
	 * @return the body's JSON tree, or a missing node when the body is empty
	 * @throws IllegalStateException if the body is not JSON
	 */
	public JsonNode json() {
		JsonNode tree = this.json;
		if (tree == null) {
			tree = parse();
			this.json = tree;
		}
		return tree;
	}

	private JsonNode parse() {
		if (this.body.isBlank()) {
			return MissingNode.getInstance();
		}
		try {
			return this.jsonMapper.readTree(this.body);
		}
		catch (JacksonException ex) {
			throw new IllegalStateException("Body of " + this + " is not JSON: " + this.body, ex);
		}
	}

	@Override
	public String toString() {
		return this.method + " " + this.path + " (" + this.requestId + ")";
	}

}
