package dev.kluster.boot.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code GET /models}.
 *
 * @param object always {@code list}
 * @param data the models
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelList(@JsonProperty("object") @Nullable String object,
		@JsonProperty("data") @Nullable List<KlusterModel> data) {

	/**
	 * The models, never {@code null}.
	 * @return the models, or an empty list
	 */
	@Override
	public List<KlusterModel> data() {
		return (this.data != null) ? this.data : List.of();
	}

}
