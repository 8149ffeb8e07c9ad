package dev.kluster.boot.model;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import tools.jackson.databind.annotation.JsonDeserialize;
import org.jspecify.annotations.Nullable;

/**
 * One line of a batch's output or error file: what became of the request with the same
 * {@code custom_id}. A request {@linkplain #isSuccess() succeeded} when it has a 2xx
 * response with a completion (or, in a batch of embeddings, the embeddings) and no error;
 * otherwise it failed, either before it ran ({@link #error()} set, no response) or with an
 * HTTP error response.
 *
 * @param id the result's id
 * @param customId the {@code custom_id} of the request
 * @param response the response to the request, when it ran
 * @param error why the request did not run or failed, when it did not succeed
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BatchResult(@JsonProperty("id") @Nullable String id, @JsonProperty("custom_id") String customId,
		@JsonProperty("response") @Nullable Response response, @JsonProperty("error") @Nullable Error error) {

	/**
	 * Whether the request succeeded.
	 * @return {@code true} when there is a 2xx response with a body and no error
	 */
	public boolean isSuccess() {
		return this.error == null && this.response != null && this.response.isSuccessful()
				&& (this.response.body() != null || this.response.embeddings() != null);
	}

	/**
	 * Whether the request failed: the opposite of {@link #isSuccess()}.
	 * @return {@code true} when it failed
	 */
	public boolean isFailure() {
		return !isSuccess();
	}

	/**
	 * The completion of a request that succeeded.
	 * @return the completion, or {@code null} when the request failed
	 */
	public @Nullable ChatCompletion completion() {
		return isSuccess() ? this.response.body() : null;
	}

	/**
	 * The embeddings of a request of a batch of embeddings that succeeded.
	 * @return the embeddings, or {@code null} when the request failed or was a chat
	 * completion
	 */
	public @Nullable EmbeddingResponse embeddings() {
		return isSuccess() ? this.response.embeddings() : null;
	}

	/**
	 * A copy with another error, to name what an error response said.
	 * @param error the error
	 * @return the copy
	 */
	public BatchResult withError(Error error) {
		return new BatchResult(this.id, this.customId, this.response, error);
	}

	/**
	 * The response to a request that ran. Its {@code body} is read as the embeddings when
	 * it is a {@code list} (the answer to an embedding request), else as a completion.
	 *
	 * @param statusCode the HTTP status of the response
	 * @param requestId kluster.ai's id of the request
	 * @param body the completion; for an error response, a completion with no fields set;
	 * {@code null} in a batch of embeddings
	 * @param embeddings the embeddings, in a batch of embeddings; otherwise {@code null}
	 */
	@JsonDeserialize(using = BatchResponseDeserializer.class)
	public record Response(int statusCode, @Nullable String requestId, @Nullable ChatCompletion body,
			@Nullable EmbeddingResponse embeddings) {

		/**
		 * The response to a chat completion request.
		 * @param statusCode the HTTP status of the response
		 * @param requestId kluster.ai's id of the request
		 * @param body the completion
		 */
		public Response(int statusCode, @Nullable String requestId, @Nullable ChatCompletion body) {
			this(statusCode, requestId, body, null);
		}

		/**
		 * The response as it is written: {@code status_code}, {@code request_id} and
		 * {@code body}, whichever kind of answer the body is.
		 * @return the fields of the response, without those that are {@code null}
		 */
		@JsonValue
		public Map<String, Object> wire() {
			Map<String, Object> wire = new LinkedHashMap<>();
			wire.put("status_code", this.statusCode);
			if (this.requestId != null) {
				wire.put("request_id", this.requestId);
			}
			Object body = (this.body != null) ? this.body : this.embeddings;
			if (body != null) {
				wire.put("body", body);
			}
			return wire;
		}

		/**
		 * Whether the status is 2xx.
		 * @return {@code true} for a 2xx status
		 */
		public boolean isSuccessful() {
			return this.statusCode >= 200 && this.statusCode < 300;
		}

	}

	/**
	 * Why a request failed.
	 *
	 * @param code an error code, for example {@code batch_expired}
	 * @param message what went wrong
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Error(@JsonProperty("code") @Nullable String code,
			@JsonProperty("message") @Nullable String message) {
	}

}
