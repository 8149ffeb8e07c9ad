package dev.kluster.boot.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Why a {@link Batch} was refused, usually about one line of its input file.
 *
 * @param code an error code, for example {@code invalid_request}
 * @param message what is wrong
 * @param param the parameter at fault, when there is one
 * @param line the number of the input file's line at fault, from 1, when there is one
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BatchError(@JsonProperty("code") @Nullable String code,
		@JsonProperty("message") @Nullable String message, @JsonProperty("param") @Nullable String param,
		@JsonProperty("line") @Nullable Long line) {

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder();
		if (this.line != null) {
			text.append("line ").append(this.line).append(": ");
		}
		text.append((this.message != null) ? this.message : "no message");
		if (this.code != null) {
			text.append(" [code=").append(this.code).append(']');
		}
		if (this.param != null) {
			text.append(" [param=").append(this.param).append(']');
		}
		return text.toString();
	}

}
