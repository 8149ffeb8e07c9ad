package dev.kluster.boot.transport;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import reactor.core.publisher.Mono;
import dev.kluster.boot.error.ApiError;
import dev.kluster.boot.error.KlusterApiException;
import dev.kluster.boot.error.KlusterAuthenticationException;
import dev.kluster.boot.error.KlusterBadRequestException;
import dev.kluster.boot.error.KlusterNotFoundException;
import dev.kluster.boot.error.KlusterPermissionDeniedException;
import dev.kluster.boot.error.KlusterRateLimitException;
import dev.kluster.boot.error.KlusterRedaction;
import dev.kluster.boot.error.KlusterServerException;

/**
 * Turns an HTTP error answer into the matching {@link KlusterApiException}, whatever the
 * shape of its body: OpenAI's {@code {"error": {...}}}, the flat
 * {@code {"object": "error", "message": ...}} of vLLM-based servers, or plain text and
 * HTML from a gateway.
 * <p>
 * Everything taken from the answer (the error fields, an excerpt of the body, the request
 * id) passes through the mapper's {@link KlusterRedaction} first, so that a server echoing
 * the {@code Authorization} header gets the key into no exception.
 *
 * @since 0.1.0
 */
public final class HttpErrorMapper {

	/** Header that carries the id of the request on kluster.ai's side. */
	public static final String REQUEST_ID_HEADER = "x-request-id";

	private static final int MAX_EXCERPT = 300;

	private static final long MAX_BODY = 256 * 1024;

	private final JsonMapper jsonMapper;

	private final Clock clock;

	private final KlusterRedaction redaction;

	/**
	 * Create a mapper that redacts bearer tokens from what the server sends.
	 * @param jsonMapper mapper for JSON error bodies
	 * @param clock clock for {@code Retry-After} dates
	 */
	public HttpErrorMapper(JsonMapper jsonMapper, Clock clock) {
		this(jsonMapper, clock, KlusterRedaction.bearerTokens());
	}

	/**
	 * Create a mapper.
	 * @param jsonMapper mapper for JSON error bodies
	 * @param clock clock for {@code Retry-After} dates
	 * @param redaction what is removed from server text before it goes into an exception
	 */
	public HttpErrorMapper(JsonMapper jsonMapper, Clock clock, KlusterRedaction redaction) {
		this.jsonMapper = jsonMapper;
		this.clock = clock;
		this.redaction = redaction;
	}

	/**
	 * What is removed from server text before it goes into an exception, for the clients
	 * that read answers with this mapper.
	 * @return the redaction
	 */
	public KlusterRedaction redaction() {
		return this.redaction;
	}

	/**
	 * Whether an answer's status says it carries no answer: anything but 2xx, so an error
	 * status, a redirect that the HTTP client did not follow, an informational status the
	 * HTTP client passed on as the answer, and a number outside HTTP's classes (600 or
	 * more), which Spring does not count as an error.
	 * @param status the answer's status
	 * @return whether the answer is to be turned into an exception
	 */
	public static boolean isFailure(HttpStatusCode status) {
		return !status.is2xxSuccessful();
	}

	/**
	 * Read an error answer's body and turn it into an exception.
	 * @param response the error answer
	 * @return the exception, for {@code onStatus}
	 */
	public Mono<Throwable> toException(ClientResponse response) {
		Charset charset = response.headers().contentType().map(MediaType::getCharset).orElse(StandardCharsets.UTF_8);
		// Read from the buffers rather than with the String codec, which logs what it
		// decoded (at DEBUG, whole at TRACE) before this mapper could redact it. Only the
		// beginning of a long body is read: it is quoted as an excerpt at most.
		return DataBufferUtils
			.join(DataBufferUtils.takeUntilByteCount(response.body(BodyExtractors.toDataBuffers()), MAX_BODY))
			.map((buffer) -> {
				try {
					return buffer.toString(charset);
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			})
			.defaultIfEmpty("")
			.map((body) -> toException(response.statusCode().value(), response.headers().asHttpHeaders(), body));
	}

	/**
	 * Turn an error answer into an exception.
	 * @param status the HTTP status code
	 * @param headers the answer's headers
	 * @param body the answer's body, possibly empty
	 * @return the exception
	 */
	public KlusterApiException toException(int status, HttpHeaders headers, String body) {
		ApiError error = redact(readError(status, headers, body));
		String requestId = this.redaction.redact(headers.getFirst(REQUEST_ID_HEADER));
		return switch (status) {
			case 400, 422 -> new KlusterBadRequestException(status, error, requestId);
			case 401 -> new KlusterAuthenticationException(status, error, requestId);
			case 403 -> new KlusterPermissionDeniedException(status, error, requestId);
			case 404 -> new KlusterNotFoundException(status, error, requestId);
			case 429 -> new KlusterRateLimitException(error, requestId,
					RetryAfter.parse(headers.getFirst(HttpHeaders.RETRY_AFTER), this.clock));
			default -> (status >= 500 && status < 600) ? new KlusterServerException(status, error, requestId)
					: new KlusterApiException(status, error, requestId);
		};
	}

	private ApiError redact(ApiError error) {
		return new ApiError(this.redaction.redact(error.message()), this.redaction.redact(error.type()),
				this.redaction.redact(error.param()), this.redaction.redact(error.code()));
	}

	private ApiError readError(int status, HttpHeaders headers, String body) {
		// A redirect's body, if any, is a page for browsers: where it points is what matters.
		String location = headers.getFirst(HttpHeaders.LOCATION);
		if (status >= 300 && status < 400 && location != null) {
			return new ApiError("redirect to " + location + ", which was not followed", null, null, null);
		}
		String trimmed = body.strip();
		if (trimmed.startsWith("{")) {
			try {
				JsonNode root = this.jsonMapper.readTree(trimmed);
				JsonNode error = root.path("error");
				JsonNode fields = error.isObject() ? error : root;
				String message = text(fields.get("message"));
				if (message == null && error.isString()) {
					message = error.asString();
				}
				if (message == null) {
					message = text(root.get("detail"));
				}
				if (message != null) {
					return new ApiError(message, text(fields.get("type")), text(fields.get("param")),
							text(fields.get("code")));
				}
			}
			catch (JacksonException ex) {
				// Not JSON after all: described below as text.
			}
		}
		// Redacted before it is cut, so that no part of a key is left at the cut.
		return new ApiError(describeNonJson(status, this.redaction.redact(trimmed)), null, null, null);
	}

	private static @Nullable String text(@Nullable JsonNode node) {
		if (node == null || node.isNull() || node.isMissingNode()) {
			return null;
		}
		return node.isValueNode() ? node.asString() : node.toString();
	}

	private static String describeNonJson(int status, String body) {
		if (body.isEmpty()) {
			return "empty body";
		}
		// A gateway's HTML error page is unreadable in a log line: keep its words only.
		String text = body.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", " ")
			.replaceAll("<[^>]+>", " ")
			.replaceAll("\\s+", " ")
			.strip();
		if (text.length() > MAX_EXCERPT) {
			text = text.substring(0, MAX_EXCERPT) + "...";
		}
		return "non-JSON body: " + text;
	}

}
