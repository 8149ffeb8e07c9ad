package dev.kluster.boot.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One line of a batch's output or error file: what became of the request with the same
 * {@code custom_id}. A request {@linkplain #isSuccess() succeeded} when it has a 2xx
 * response with a completion and no error; otherwise it failed, either before it ran
 * ({@link #error()} set, no response) or with an HTTP error response.
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
				&& this.response.body() != null;
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
	 * A copy with another error, to name what an error response said.
	 * @param error the error
	 * @return the copy
	 */
	public BatchResult withError(Error error) {
		return new BatchResult(this.id, this.customId, this.response, error);
	}

	/**
	 * The response to a request that ran.
	 *
	 * @param statusCode the HTTP status of the response
	 * @param requestId kluster.ai's id of the request
	 * @param body the completion; for an error response, a completion with no fields set
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Response(@JsonProperty("status_code") int statusCode,
			@JsonProperty("request_id") @Nullable String requestId,
			@JsonProperty("body") @Nullable ChatCompletion body) {

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
