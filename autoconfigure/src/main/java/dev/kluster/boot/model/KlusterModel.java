package dev.kluster.boot.model;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A model the account can use, from {@code GET /models}; fine-tuned models included.
 *
 * @param id the model id to put in requests
 * @param object always {@code model}
 * @param created when the model was created
 * @param ownedBy the owner
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record KlusterModel(@JsonProperty("id") String id, @JsonProperty("object") @Nullable String object,
		@JsonProperty("created") @JsonDeserialize(using = EpochSecondsDeserializer.class) @JsonSerialize(
				using = EpochSecondsSerializer.class) @Nullable Instant created,
		@JsonProperty("owned_by") @Nullable String ownedBy) {
}
