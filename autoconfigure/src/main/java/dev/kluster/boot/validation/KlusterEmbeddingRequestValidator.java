package dev.kluster.boot.validation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.kluster.boot.model.EmbeddingRequest;

/**
 * The {@link EmbeddingRequestValidator} that enforces a {@link ValidationPolicy}: it
 * refuses (or, in {@link ValidationMode#DROP}, drops) the parameters the policy lists as
 * unsupported in embedding requests, in typed fields and in extra body entries, and checks
 * what OpenAI's {@code CreateEmbeddingRequest} requires: a model, and an input that is a
 * non-empty text, or a list of at most {@value #MAX_INPUTS} non-empty texts or token
 * arrays. Violations are reported as for chat requests, in one
 * {@link KlusterValidationException}. Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class KlusterEmbeddingRequestValidator implements EmbeddingRequestValidator {

	/** Most inputs one request may carry. */
	public static final int MAX_INPUTS = 2048;

	private static final Log logger = LogFactory.getLog(KlusterEmbeddingRequestValidator.class);

	private static final String INPUT_TYPES = "must be a string, a list of strings, a list of token ids or a list "
			+ "of lists of token ids";

	// Every typed field that a policy may refuse, by JSON name, in the order of the body.
	private static final Map<String, Field> FIELDS = fields();

	private final ValidationPolicy policy;

	private final Set<String> unsupported;

	/**
	 * Create a validator.
	 * @param policy what to enforce
	 */
	public KlusterEmbeddingRequestValidator(ValidationPolicy policy) {
		this.policy = Objects.requireNonNull(policy, "policy must not be null");
		this.unsupported = policy.unsupportedEmbeddingParameters();
	}

	/**
	 * The policy this validator enforces.
	 * @return the policy
	 */
	public ValidationPolicy policy() {
		return this.policy;
	}

	@Override
	public EmbeddingRequest validate(EmbeddingRequest request) {
		ValidationMode mode = this.policy.mode();
		if (mode == ValidationMode.OFF) {
			return request;
		}
		return Violations.decide(mode, request, findUnsupported(request), checkRules(request), this::drop);
	}

	private @Nullable List<Violation> findUnsupported(EmbeddingRequest request) {
		if (this.unsupported.isEmpty()) {
			return null;
		}
		List<Violation> found = null;
		for (Field field : FIELDS.values()) {
			if (this.unsupported.contains(field.name()) && field.accessor().apply(request) != null) {
				found = Violations.add(found,
						Violations.unsupported(field.name(), this.policy.embeddingHint(field.name())));
			}
		}
		for (String name : request.extraBody().keySet()) {
			if (this.unsupported.contains(name)) {
				found = Violations.add(found, Violations.unsupported(name, this.policy.embeddingHint(name)));
			}
		}
		return found;
	}

	private @Nullable List<Violation> checkRules(EmbeddingRequest request) {
		List<Violation> found = Violations.checkModel(null, request.model(), "kluster.embedding.model");
		found = checkInput(found, request.input());
		Integer dimensions = request.dimensions();
		if (dimensions != null && dimensions < 1 && !this.unsupported.contains("dimensions")) {
			found = Violations.add(found, new Violation("dimensions", "must be at least 1, was " + dimensions, null));
		}
		// A typed field set as extra body would go twice into the body; one the policy
		// refuses is reported as unsupported instead.
		for (String name : request.extraBody().keySet()) {
			if ((FIELDS.containsKey(name) || name.equals("model") || name.equals("input"))
					&& !this.unsupported.contains(name)) {
				found = Violations.add(found, new Violation(name, "is a typed field and must not be set as extra body",
						"use the builder"));
			}
		}
		return found;
	}

	private static @Nullable List<Violation> checkInput(@Nullable List<Violation> found, @Nullable Object input) {
		if (input == null) {
			return Violations.add(found, new Violation("input", "is required", null));
		}
		if (input instanceof String text) {
			return text.isEmpty() ? Violations.add(found, new Violation("input", "must not be empty", null)) : found;
		}
		if (!(input instanceof List<?> list)) {
			return Violations.add(found, new Violation("input", INPUT_TYPES, null));
		}
		if (list.isEmpty()) {
			return Violations.add(found, new Violation("input", "must not be empty", null));
		}
		if (list.size() > MAX_INPUTS) {
			found = Violations.add(found,
					new Violation("input", "must have at most " + MAX_INPUTS + " entries, had " + list.size(), null));
		}
		Object first = list.get(0);
		for (int i = 0; i < list.size(); i++) {
			Object entry = list.get(i);
			String path = "input[" + i + "]";
			if (entry == null || !sameKind(first, entry)) {
				return Violations.add(found, new Violation(path, INPUT_TYPES + ", with entries of one kind", null));
			}
			if ((entry instanceof String text && text.isEmpty()) || (entry instanceof List<?> tokens && tokens.isEmpty())) {
				found = Violations.add(found, new Violation(path, "must not be empty", null));
			}
		}
		return found;
	}

	private static boolean sameKind(Object first, Object entry) {
		if (first instanceof String) {
			return entry instanceof String;
		}
		if (first instanceof Integer) {
			return entry instanceof Integer;
		}
		return first instanceof List<?> && entry instanceof List<?> tokens
				&& tokens.stream().allMatch(Integer.class::isInstance);
	}

	private EmbeddingRequest drop(EmbeddingRequest request, List<Violation> dropped) {
		EmbeddingRequest.Builder builder = request.toBuilder();
		for (Field field : FIELDS.values()) {
			if (this.unsupported.contains(field.name())) {
				field.clearer().accept(builder);
			}
		}
		if (!request.extraBody().isEmpty()) {
			Map<String, Object> kept = new LinkedHashMap<>(request.extraBody());
			kept.keySet().removeAll(this.unsupported);
			builder.extraBody(kept);
		}
		Violations.logDropped(logger, dropped);
		return builder.build();
	}

	private static Map<String, Field> fields() {
		Map<String, Field> fields = new LinkedHashMap<>();
		add(fields, "encoding_format", EmbeddingRequest::encodingFormat, (builder) -> builder.encodingFormat(null));
		add(fields, "dimensions", EmbeddingRequest::dimensions, (builder) -> builder.dimensions(null));
		add(fields, "user", EmbeddingRequest::user, (builder) -> builder.user(null));
		return Collections.unmodifiableMap(fields);
	}

	private static void add(Map<String, Field> fields, String name, Function<EmbeddingRequest, @Nullable Object> accessor,
			Consumer<EmbeddingRequest.Builder> clearer) {
		fields.put(name, new Field(name, accessor, clearer));
	}

	private record Field(String name, Function<EmbeddingRequest, @Nullable Object> accessor,
			Consumer<EmbeddingRequest.Builder> clearer) {
	}

}
