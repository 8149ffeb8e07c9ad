package dev.kluster.boot.validation;

import java.util.ArrayList;
import java.util.List;

import dev.kluster.boot.error.KlusterException;

/**
 * Thrown before a request is sent when it breaks kluster.ai's rules. The message lists
 * every {@link Violation}, so that one failed attempt shows all that needs fixing.
 *
 * @since 0.1.0
 */
public class KlusterValidationException extends KlusterException {

	private final List<Violation> violations;

	/**
	 * Create an exception.
	 * @param violations what is wrong with the request, in the order to report it
	 */
	public KlusterValidationException(List<Violation> violations) {
		super(message(violations));
		this.violations = List.copyOf(violations);
	}

	private static String message(List<Violation> violations) {
		int count = violations.size();
		StringBuilder message = new StringBuilder("Request not sent: ").append(count)
			.append((count == 1) ? " parameter breaks" : " parameters break")
			.append(" kluster.ai's rules: ");
		for (int i = 0; i < count; i++) {
			Violation violation = violations.get(i);
			if (i > 0) {
				message.append("; ");
			}
			message.append(violation.path()).append(' ').append(violation.message());
			if (violation.hint() != null) {
				message.append(" (").append(violation.hint()).append(')');
			}
		}
		return message.toString();
	}

	/**
	 * The violations, in the order they are reported.
	 * @return an unmodifiable list of the violations
	 */
	public List<Violation> violations() {
		return this.violations;
	}

	/**
	 * The JSON paths of the violations, in the order they are reported.
	 * @return the paths, for example {@code [n, messages[0].name, temperature]}
	 */
	public List<String> paths() {
		List<String> paths = new ArrayList<>(this.violations.size());
		for (Violation violation : this.violations) {
			paths.add(violation.path());
		}
		return List.copyOf(paths);
	}

}
