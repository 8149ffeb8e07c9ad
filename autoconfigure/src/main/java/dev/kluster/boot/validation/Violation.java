package dev.kluster.boot.validation;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One way a request breaks kluster.ai's rules.
 *
 * @param path JSON path of the offending value, for example {@code messages[2].name},
 * {@code temperature} or {@code logit_bias["50256"]}
 * @param message what is wrong, to be read after the path, for example
 * {@code must be between 0 and 2, was 3.5}
 * @param hint what to do instead, or {@code null} when there is no advice
 * @since 0.1.0
 */
public record Violation(String path, String message, @Nullable String hint) {

	/**
	 * Create a violation.
	 * @param path JSON path of the offending value
	 * @param message what is wrong
	 * @param hint what to do instead, or {@code null}
	 */
	public Violation {
		Objects.requireNonNull(path, "path must not be null");
		Objects.requireNonNull(message, "message must not be null");
	}

	@Override
	public String toString() {
		return this.path + ": " + this.message + ((this.hint != null) ? " (" + this.hint + ")" : "");
	}

}
