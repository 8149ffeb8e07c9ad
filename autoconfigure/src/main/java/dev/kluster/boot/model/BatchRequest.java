package dev.kluster.boot.model;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of a batch's input file: a chat completion request with the id its result
 * will carry.
 *
 * @param customId the caller's id of the request, unique within the batch; results are
 * matched to requests by it, since their order is not guaranteed
 * @param method the HTTP method, {@code POST}
 * @param url the endpoint, {@value #CHAT_COMPLETIONS}
 * @param body the chat completion request
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BatchRequest(@JsonProperty("custom_id") String customId, @JsonProperty("method") String method,
		@JsonProperty("url") String url, @JsonProperty("body") ChatCompletionRequest body) {

	/** The endpoint of chat completion batches. */
	public static final String CHAT_COMPLETIONS = "/v1/chat/completions";

	/**
	 * Create a line.
	 * @param customId the caller's id of the request
	 * @param method the HTTP method
	 * @param url the endpoint
	 * @param body the chat completion request
	 */
	public BatchRequest {
		Objects.requireNonNull(customId, "customId must not be null");
		Objects.requireNonNull(method, "method must not be null");
		Objects.requireNonNull(url, "url must not be null");
		Objects.requireNonNull(body, "body must not be null");
	}

	/**
	 * A chat completion line, the only kind kluster.ai runs in batches.
	 * @param customId the caller's id of the request, unique within the batch
	 * @param body the chat completion request
	 * @return the line
	 */
	public static BatchRequest of(String customId, ChatCompletionRequest body) {
		return new BatchRequest(customId, "POST", CHAT_COMPLETIONS, body);
	}

	/**
	 * A copy with another body.
	 * @param body the new body
	 * @return the copy
	 */
	public BatchRequest withBody(ChatCompletionRequest body) {
		return new BatchRequest(this.customId, this.method, this.url, body);
	}

}
