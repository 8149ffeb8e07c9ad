package dev.kluster.boot.model;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A file held by kluster.ai ({@code file}): the JSON Lines input of a batch, or a batch's
 * output or error file.
 *
 * @param id the file id, to put in {@code input_file_id} or read with
 * {@code GET /files/{id}/content}
 * @param object always {@code file}
 * @param bytes the size of the file
 * @param createdAt when the file was created
 * @param expiresAt when the file will be deleted, if it expires
 * @param filename the name it was uploaded with
 * @param purpose {@code batch} for batch input, {@code batch_output} for results
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record KlusterFile(@JsonProperty("id") String id, @JsonProperty("object") @Nullable String object,
		@JsonProperty("bytes") @Nullable Long bytes,
		@JsonProperty("created_at") @EpochSeconds @Nullable Instant createdAt,
		@JsonProperty("expires_at") @EpochSeconds @Nullable Instant expiresAt,
		@JsonProperty("filename") @Nullable String filename, @JsonProperty("purpose") @Nullable String purpose) {
}
