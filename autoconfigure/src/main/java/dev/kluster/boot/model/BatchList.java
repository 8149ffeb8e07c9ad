package dev.kluster.boot.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One page of {@code GET /batches}, newest batch first. kluster.ai adds fields to OpenAI's
 * list, such as {@code count} and {@code page}, whose meaning it does not document: they
 * are ignored, and paging follows the cursor only.
 *
 * @param object always {@code list}
 * @param data the batches of this page
 * @param firstId the id of the page's first batch
 * @param lastId the id of the page's last batch, the cursor of the next page
 * @param hasMore whether there is a next page
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BatchList(@JsonProperty("object") @Nullable String object,
		@JsonProperty("data") @Nullable List<Batch> data, @JsonProperty("first_id") @Nullable String firstId,
		@JsonProperty("last_id") @Nullable String lastId, @JsonProperty("has_more") @Nullable Boolean hasMore) {

	/**
	 * The batches, never {@code null}.
	 * @return the batches, or an empty list
	 */
	@Override
	public List<Batch> data() {
		return (this.data != null) ? this.data : List.of();
	}

	/**
	 * The cursor of the next page, when there is one.
	 * @return {@code last_id}, or the id of the page's last batch when the server leaves
	 * {@code last_id} out; {@code null} when there is no next page
	 */
	public @Nullable String nextCursor() {
		if (!Boolean.TRUE.equals(this.hasMore) || data().isEmpty()) {
			return null;
		}
		return (this.lastId != null) ? this.lastId : data().get(data().size() - 1).id();
	}

}
