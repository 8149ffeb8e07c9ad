package dev.kluster.boot.model;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A tool the model may call ({@code tools[]} in the OpenAI request). kluster.ai's
 * compatibility page lists tools as unsupported, so validation refuses them unless
 * {@code tools} is allowed in {@code kluster.validation}.
 *
 * @param type always {@code function}
 * @param function the function's definition
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ToolDefinition(@JsonProperty("type") String type, @JsonProperty("function") FunctionDefinition function) {

	/**
	 * A function tool.
	 * @param function the function's definition
	 * @return the tool
	 */
	public static ToolDefinition function(FunctionDefinition function) {
		return new ToolDefinition("function", function);
	}

	/**
	 * A function the model may call.
	 *
	 * @param name the function name
	 * @param description what the function does
	 * @param parameters the JSON schema of its arguments
	 * @param strict whether the arguments must follow the schema exactly
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record FunctionDefinition(@JsonProperty("name") String name,
			@JsonProperty("description") @Nullable String description,
			@JsonProperty("parameters") @Nullable Map<String, Object> parameters,
			@JsonProperty("strict") @Nullable Boolean strict) {
	}

}
