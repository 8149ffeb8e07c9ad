package dev.kluster.boot.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A batch job ({@code batch}): a file of requests that kluster.ai runs within a
 * completion window. Read leniently: timestamps may be numbers or strings of digits, and
 * fields this version does not know are ignored.
 *
 * @param id the batch id
 * @param object always {@code batch}
 * @param endpoint the endpoint its requests go to, {@code /v1/chat/completions} or
 * {@code /v1/embeddings}
 * @param errors why the batch was refused, when it {@linkplain BatchStatus#FAILED failed}
 * @param inputFileId the file of requests
 * @param completionWindow the time it has to complete: {@code 24h}, {@code 48h} or {@code 72h}
 * @param status where the batch is
 * @param outputFileId the file of results of requests that succeeded, once there is one
 * @param errorFileId the file of results of requests that failed, once there is one
 * @param createdAt when it was created
 * @param inProgressAt when it started running
 * @param expiresAt when its completion window ends
 * @param finalizingAt when it started finalizing
 * @param completedAt when it completed
 * @param failedAt when it failed
 * @param expiredAt when it expired
 * @param cancellingAt when a cancel was asked for
 * @param cancelledAt when it was cancelled
 * @param requestCounts how many requests it has, and how many are done
 * @param metadata the metadata it was created with
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Batch(
		@JsonProperty("id") String id,
		@JsonProperty("object") @Nullable String object,
		@JsonProperty("endpoint") @Nullable String endpoint,
		@JsonProperty("errors") @Nullable Errors errors,
		@JsonProperty("input_file_id") @Nullable String inputFileId,
		@JsonProperty("completion_window") @Nullable String completionWindow,
		@JsonProperty("status") @Nullable BatchStatus status,
		@JsonProperty("output_file_id") @Nullable String outputFileId,
		@JsonProperty("error_file_id") @Nullable String errorFileId,
		@JsonProperty("created_at") @EpochSeconds @Nullable Instant createdAt,
		@JsonProperty("in_progress_at") @EpochSeconds @Nullable Instant inProgressAt,
		@JsonProperty("expires_at") @EpochSeconds @Nullable Instant expiresAt,
		@JsonProperty("finalizing_at") @EpochSeconds @Nullable Instant finalizingAt,
		@JsonProperty("completed_at") @EpochSeconds @Nullable Instant completedAt,
		@JsonProperty("failed_at") @EpochSeconds @Nullable Instant failedAt,
		@JsonProperty("expired_at") @EpochSeconds @Nullable Instant expiredAt,
		@JsonProperty("cancelling_at") @EpochSeconds @Nullable Instant cancellingAt,
		@JsonProperty("cancelled_at") @EpochSeconds @Nullable Instant cancelledAt,
		@JsonProperty("request_counts") @Nullable RequestCounts requestCounts,
		@JsonProperty("metadata") @Nullable Map<String, Object> metadata) {

	/**
	 * Whether the batch will not change any more.
	 * @return {@code true} when its status is {@linkplain BatchStatus#isTerminal() terminal}
	 */
	public boolean isTerminal() {
		return this.status != null && this.status.isTerminal();
	}

	/**
	 * The errors of a refused batch, never {@code null}.
	 * @return the errors, or an empty list
	 */
	public List<BatchError> errorList() {
		return (this.errors != null) ? this.errors.data() : List.of();
	}

	/**
	 * The errors listed by a batch ({@code errors}).
	 *
	 * @param object always {@code list}
	 * @param data the errors
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Errors(@JsonProperty("object") @Nullable String object,
			@JsonProperty("data") @Nullable List<BatchError> data) {

		/**
		 * The errors, never {@code null}.
		 * @return the errors, or an empty list
		 */
		@Override
		public List<BatchError> data() {
			return (this.data != null) ? this.data : List.of();
		}

	}

	/**
	 * How many requests a batch has and how many are done.
	 *
	 * @param total the requests in the input file
	 * @param completed the requests that succeeded
	 * @param failed the requests that failed
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record RequestCounts(@JsonProperty("total") long total, @JsonProperty("completed") long completed,
			@JsonProperty("failed") long failed) {
	}

}
