package dev.kluster.boot.model;

import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /batches}.
 *
 * @param inputFileId the uploaded file of requests
 * @param endpoint the endpoint of the requests, {@value BatchRequest#CHAT_COMPLETIONS}
 * @param completionWindow the time the batch has to complete: {@code 24h}, {@code 48h}
 * or {@code 72h}
 * @param metadata free-form metadata kept with the batch
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record BatchCreateRequest(@JsonProperty("input_file_id") String inputFileId,
		@JsonProperty("endpoint") String endpoint, @JsonProperty("completion_window") String completionWindow,
		@JsonProperty("metadata") @Nullable Map<String, String> metadata) {

	/**
	 * Create a request.
	 * @param inputFileId the uploaded file of requests
	 * @param endpoint the endpoint of the requests
	 * @param completionWindow the time the batch has to complete
	 * @param metadata free-form metadata, or {@code null}
	 */
	public BatchCreateRequest {
		Objects.requireNonNull(inputFileId, "inputFileId must not be null");
		Objects.requireNonNull(endpoint, "endpoint must not be null");
		Objects.requireNonNull(completionWindow, "completionWindow must not be null");
		metadata = (metadata != null) ? Map.copyOf(metadata) : null;
	}

}
