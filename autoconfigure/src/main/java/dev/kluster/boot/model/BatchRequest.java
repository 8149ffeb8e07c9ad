package dev.kluster.boot.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * One line of a batch's input file: a request with the id its result will carry. A line
 * holds a chat completion request ({@value #CHAT_COMPLETIONS}) or an embedding request
 * ({@value #EMBEDDINGS}); all lines of one batch are of one kind.
 *
 * @param customId the caller's id of the request, unique within the batch; results are
 * matched to requests by it, since their order is not guaranteed
 * @param method the HTTP method, {@code POST}
 * @param url the endpoint, {@value #CHAT_COMPLETIONS} or {@value #EMBEDDINGS}
 * @param body the chat completion request, or {@code null} in an embedding line
 * @param embeddingBody the embedding request, or {@code null} in a chat completion line
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BatchRequest(@JsonProperty("custom_id") String customId, @JsonProperty("method") String method,
		@JsonProperty("url") String url, @Nullable ChatCompletionRequest body,
		@Nullable EmbeddingRequest embeddingBody) {

	/** The endpoint of chat completion batches. */
	public static final String CHAT_COMPLETIONS = "/v1/chat/completions";

	/** The endpoint of embedding batches. */
	public static final String EMBEDDINGS = "/v1/embeddings";

	/**
	 * Create a line.
	 * @param customId the caller's id of the request
	 * @param method the HTTP method
	 * @param url the endpoint
	 * @param body the chat completion request, or {@code null} in an embedding line
	 * @param embeddingBody the embedding request, or {@code null} in a chat completion line
	 */
	public BatchRequest {
		Objects.requireNonNull(customId, "customId must not be null");
		Objects.requireNonNull(method, "method must not be null");
		Objects.requireNonNull(url, "url must not be null");
		if ((body == null) == (embeddingBody == null)) {
			throw new IllegalArgumentException("A batch line holds exactly one of body and embeddingBody");
		}
	}

	/**
	 * Create a chat completion line.
	 * @param customId the caller's id of the request
	 * @param method the HTTP method
	 * @param url the endpoint
	 * @param body the chat completion request
	 */
	public BatchRequest(String customId, String method, String url, ChatCompletionRequest body) {
		this(customId, method, url, Objects.requireNonNull(body, "body must not be null"), null);
	}

	/**
	 * A chat completion line.
	 * @param customId the caller's id of the request, unique within the batch
	 * @param body the chat completion request
	 * @return the line
	 */
	public static BatchRequest of(String customId, ChatCompletionRequest body) {
		return new BatchRequest(customId, "POST", CHAT_COMPLETIONS, body);
	}

	/**
	 * An embedding line.
	 * @param customId the caller's id of the request, unique within the batch
	 * @param body the embedding request
	 * @return the line
	 */
	public static BatchRequest of(String customId, EmbeddingRequest body) {
		return new BatchRequest(customId, "POST", EMBEDDINGS, null,
				Objects.requireNonNull(body, "body must not be null"));
	}

	/**
	 * Whether the line holds an embedding request.
	 * @return {@code true} for an embedding line
	 */
	public boolean isEmbedding() {
		return this.embeddingBody != null;
	}

	/**
	 * A copy with another chat completion request.
	 * @param body the new body
	 * @return the copy
	 */
	public BatchRequest withBody(ChatCompletionRequest body) {
		return new BatchRequest(this.customId, this.method, this.url, body);
	}

	/**
	 * A copy with another embedding request.
	 * @param body the new body
	 * @return the copy
	 */
	public BatchRequest withBody(EmbeddingRequest body) {
		return new BatchRequest(this.customId, this.method, this.url, null, body);
	}

	/**
	 * The line as it is written: {@code custom_id}, {@code method}, {@code url} and
	 * {@code body}, whichever kind of request the body is.
	 * @return the fields of the line, in order
	 */
	@JsonValue
	public Map<String, Object> line() {
		Map<String, Object> line = new LinkedHashMap<>();
		line.put("custom_id", this.customId);
		line.put("method", this.method);
		line.put("url", this.url);
		line.put("body", (this.body != null) ? this.body : this.embeddingBody);
		return line;
	}

}
