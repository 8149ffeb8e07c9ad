package dev.kluster.boot.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

/**
 * What the validators of chat and embedding requests report alike. A list of violations
 * is made only when there is one, so that a valid request costs no allocation.
 */
final class Violations {

	static final String NOT_SUPPORTED = "is not supported by kluster.ai";

	private Violations() {
	}

	static List<Violation> add(@Nullable List<Violation> found, Violation violation) {
		List<Violation> list = (found != null) ? found : new ArrayList<>();
		list.add(violation);
		return list;
	}

	static Violation unsupported(String path, @Nullable String hint) {
		return new Violation(path, NOT_SUPPORTED, hint);
	}

	// The hint names where a model comes from: a request without one was sent with the
	// default of the given property unset.
	static @Nullable List<Violation> checkModel(@Nullable List<Violation> found, @Nullable String model,
			String defaultProperty) {
		String hint = "set " + defaultProperty + ", or the model of the request";
		if (model == null) {
			return add(found, new Violation("model", "is required", hint));
		}
		if (model.isBlank()) {
			return add(found, new Violation("model", "must not be blank", hint));
		}
		return found;
	}

	/**
	 * What a validator does with what it found, in the policy's mode (other than
	 * {@link ValidationMode#OFF}, which checks nothing): in {@code DROP} mode a broken rule
	 * still refuses the request and unsupported parameters are dropped; in {@code REJECT}
	 * mode anything refuses it, unsupported parameters reported first.
	 */
	static <R> R decide(ValidationMode mode, R request, @Nullable List<Violation> unsupported,
			@Nullable List<Violation> broken, BiFunction<R, List<Violation>, R> drop) {
		if (mode == ValidationMode.DROP) {
			if (broken != null) {
				throw new KlusterValidationException(broken);
			}
			return (unsupported != null) ? drop.apply(request, unsupported) : request;
		}
		if (unsupported == null && broken == null) {
			return request;
		}
		if (unsupported != null && broken != null) {
			unsupported.addAll(broken);
		}
		throw new KlusterValidationException((unsupported != null) ? unsupported : Objects.requireNonNull(broken));
	}

	static void logDropped(Log logger, List<Violation> dropped) {
		if (logger.isWarnEnabled()) {
			for (Violation violation : dropped) {
				logger.warn("Dropped " + violation.path() + " from the request to kluster.ai: " + violation.message()
						+ ((violation.hint() != null) ? " (" + violation.hint() + ")" : ""));
			}
		}
	}

}
