package dev.kluster.boot.observation;

import java.lang.reflect.Method;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.EmbeddingRequest;
import dev.kluster.boot.validation.ValidationPolicy;
import dev.kluster.boot.validation.Violation;

/**
 * Turns the path of a {@link Violation} into a tag value with a bounded set of values:
 * {@code messages[3].name} becomes {@code messages[].name}, {@code logit_bias["50256"]}
 * becomes {@code logit_bias}, and a name that is neither a field of the request model nor
 * on the policy's lists becomes {@value #OTHER}. Paths name whatever a caller put in an
 * extra body, so without the bound a caller could create a time series per request.
 *
 * @since 0.1.0
 */
public final class ValidationParameterTags {

	/** Tag value of a parameter outside the known names. */
	public static final String OTHER = "other";

	private static final String MESSAGES = "messages[";

	private final Set<String> known;

	/**
	 * Create the tags for a policy: the request and message fields of the model (chat and
	 * embedding requests), and the parameters the policy lists as unsupported.
	 * @param policy the policy whose lists are known names
	 */
	public ValidationParameterTags(ValidationPolicy policy) {
		Set<String> names = new LinkedHashSet<>();
		names.addAll(jsonNames(ChatCompletionRequest.class, ""));
		names.addAll(jsonNames(ChatMessage.class, ValidationPolicy.MESSAGE_PREFIX));
		names.addAll(jsonNames(EmbeddingRequest.class, ""));
		names.addAll(policy.unsupportedRequestParameters());
		names.addAll(policy.unsupportedEmbeddingParameters());
		for (String name : policy.unsupportedMessageParameters()) {
			names.add(ValidationPolicy.MESSAGE_PREFIX + name);
		}
		this.known = Collections.unmodifiableSet(names);
	}

	/**
	 * The names a tag can take besides {@value #OTHER}.
	 * @return the known parameter names
	 */
	public Set<String> knownNames() {
		return this.known;
	}

	/**
	 * The tag value of a violation's path.
	 * @param path the path, for example {@code messages[2].name}
	 * @return the parameter name, or {@value #OTHER}
	 */
	public String tagFor(String path) {
		String name = parameter(path);
		return this.known.contains(name) ? name : OTHER;
	}

	static String parameter(String path) {
		if (path.startsWith(MESSAGES)) {
			int close = path.indexOf(']');
			if (close > 0 && close + 1 < path.length() && path.charAt(close + 1) == '.') {
				return ValidationPolicy.MESSAGE_PREFIX + baseName(path.substring(close + 2));
			}
		}
		return baseName(path);
	}

	private static String baseName(String path) {
		for (int i = 0; i < path.length(); i++) {
			char c = path.charAt(i);
			if (c == '[' || c == '.') {
				return path.substring(0, i);
			}
		}
		return path;
	}

	// The JSON names are read from the model's annotations, so that a field added to the
	// model is a known name without a second list to keep in step.
	private static Set<String> jsonNames(Class<?> type, String prefix) {
		Set<String> names = new LinkedHashSet<>();
		for (Method method : type.getDeclaredMethods()) {
			JsonProperty property = method.getAnnotation(JsonProperty.class);
			if (property != null && !property.value().isEmpty()) {
				names.add(prefix + property.value());
			}
		}
		return names;
	}

}
