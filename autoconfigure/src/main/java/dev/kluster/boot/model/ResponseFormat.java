package dev.kluster.boot.model;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's {@code response_format}. Listed as unsupported by kluster.ai; kept so that code
 * ported from OpenAI compiles and gets a clear validation error.
 *
 * @param type {@code text}, {@code json_object} or {@code json_schema}
 * @param jsonSchema the schema of a {@code json_schema} format
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResponseFormat(@JsonProperty("type") String type,
		@JsonProperty("json_schema") @Nullable Map<String, Object> jsonSchema) {

	/**
	 * The {@code json_object} format.
	 * @return the format
	 */
	public static ResponseFormat jsonObject() {
		return new ResponseFormat("json_object", null);
	}

}
