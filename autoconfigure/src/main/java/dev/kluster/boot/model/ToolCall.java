package dev.kluster.boot.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A call of a tool by the model, in an assistant message or a streamed delta.
 *
 * @param index position of the call in a streamed delta
 * @param id the call id
 * @param type always {@code function}
 * @param function the function name and its JSON arguments
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ToolCall(@JsonProperty("index") @Nullable Integer index, @JsonProperty("id") @Nullable String id,
		@JsonProperty("type") @Nullable String type, @JsonProperty("function") @Nullable FunctionCall function) {

	/**
	 * The function a tool call names, with its arguments as a JSON string.
	 *
	 * @param name the function name
	 * @param arguments the arguments, as JSON text
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record FunctionCall(@JsonProperty("name") @Nullable String name,
			@JsonProperty("arguments") @Nullable String arguments) {
	}

}
