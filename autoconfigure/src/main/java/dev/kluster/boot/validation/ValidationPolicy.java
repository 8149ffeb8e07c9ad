package dev.kluster.boot.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * What validation enforces: which OpenAI parameters kluster.ai does not support, what to
 * do when a request uses them, and what to suggest instead.
 * <p>
 * kluster.ai's support changes over time, so the lists are configuration; the defaults
 * are those of kluster.ai's OpenAI compatibility page. Names are JSON field names, at
 * request level ({@code max_tokens}), message level ({@code name}) or in embedding
 * requests ({@code dimensions}). Hints are looked up by the plain name; for message-level
 * parameters a key {@code messages[].name}, for embedding parameters a key
 * {@code embeddings.dimensions}, is tried first, so that one map can hold different advice
 * for each.
 *
 * @param mode what to do with a request that breaks the rules
 * @param unsupportedRequestParameters JSON field names refused at request level
 * @param unsupportedMessageParameters JSON field names refused in messages
 * @param hints what to use instead, by parameter name
 * @param unsupportedEmbeddingParameters JSON field names refused in embedding requests
 * @since 0.1.0
 */
public record ValidationPolicy(ValidationMode mode, Set<String> unsupportedRequestParameters,
		Set<String> unsupportedMessageParameters, Map<String, String> hints,
		Set<String> unsupportedEmbeddingParameters) {

	/**
	 * Prefix of hint keys and of {@link #allowing(String...)} names that mean a message
	 * parameter.
	 */
	public static final String MESSAGE_PREFIX = "messages[].";

	/**
	 * Prefix of hint keys and of {@link #allowing(String...)} names that mean a parameter
	 * of embedding requests.
	 */
	public static final String EMBEDDING_PREFIX = "embeddings.";

	/**
	 * The resource, beside this class, that names the parameters kluster.ai's
	 * compatibility page lists as unsupported. It is the one place they are written: the
	 * build makes the configuration metadata's defaults and the test stand-in's refusals
	 * from it.
	 */
	private static final String DEFAULTS_RESOURCE = "unsupported-parameters.properties";

	private static final Properties DEFAULT_PARAMETERS = loadDefaults();

	/**
	 * Request parameters kluster.ai's compatibility page lists as unsupported.
	 */
	public static final Set<String> DEFAULT_UNSUPPORTED_REQUEST_PARAMETERS = defaultNames("request-parameters");

	/**
	 * Message parameters kluster.ai's compatibility page lists as unsupported.
	 */
	public static final Set<String> DEFAULT_UNSUPPORTED_MESSAGE_PARAMETERS = defaultNames("message-parameters");

	/**
	 * Embedding request parameters the starter refuses by default.
	 */
	public static final Set<String> DEFAULT_UNSUPPORTED_EMBEDDING_PARAMETERS = defaultNames("embedding-parameters");

	/**
	 * What to use instead of each default unsupported parameter.
	 */
	public static final Map<String, String> DEFAULT_HINTS = defaultHints();

	private static final ValidationPolicy DEFAULTS = new ValidationPolicy(ValidationMode.REJECT,
			DEFAULT_UNSUPPORTED_REQUEST_PARAMETERS, DEFAULT_UNSUPPORTED_MESSAGE_PARAMETERS, DEFAULT_HINTS,
			DEFAULT_UNSUPPORTED_EMBEDDING_PARAMETERS);

	/**
	 * Create a policy. The collections are copied, keeping their order.
	 * @param mode what to do with a request that breaks the rules
	 * @param unsupportedRequestParameters JSON field names refused at request level
	 * @param unsupportedMessageParameters JSON field names refused in messages
	 * @param hints what to use instead, by parameter name
	 * @param unsupportedEmbeddingParameters JSON field names refused in embedding requests
	 */
	public ValidationPolicy {
		Objects.requireNonNull(mode, "mode must not be null");
		unsupportedRequestParameters = copy(unsupportedRequestParameters, "unsupportedRequestParameters");
		unsupportedMessageParameters = copy(unsupportedMessageParameters, "unsupportedMessageParameters");
		hints = copy(hints);
		unsupportedEmbeddingParameters = copy(unsupportedEmbeddingParameters, "unsupportedEmbeddingParameters");
	}

	/**
	 * Create a policy with the {@link #DEFAULT_UNSUPPORTED_EMBEDDING_PARAMETERS default
	 * embedding parameters}. The collections are copied, keeping their order.
	 * @param mode what to do with a request that breaks the rules
	 * @param unsupportedRequestParameters JSON field names refused at request level
	 * @param unsupportedMessageParameters JSON field names refused in messages
	 * @param hints what to use instead, by parameter name
	 */
	public ValidationPolicy(ValidationMode mode, Set<String> unsupportedRequestParameters,
			Set<String> unsupportedMessageParameters, Map<String, String> hints) {
		this(mode, unsupportedRequestParameters, unsupportedMessageParameters, hints,
				DEFAULT_UNSUPPORTED_EMBEDDING_PARAMETERS);
	}

	/**
	 * The policy of kluster.ai's compatibility page: reject every parameter it lists.
	 * @return the default policy
	 */
	public static ValidationPolicy defaults() {
		return DEFAULTS;
	}

	/**
	 * A copy of this policy with another mode.
	 * @param mode the mode
	 * @return the new policy
	 */
	public ValidationPolicy withMode(ValidationMode mode) {
		return new ValidationPolicy(mode, this.unsupportedRequestParameters, this.unsupportedMessageParameters,
				this.hints, this.unsupportedEmbeddingParameters);
	}

	/**
	 * A copy of this policy that accepts the given parameters, for example {@code tools}
	 * once kluster.ai supports it for the model in use. A name starting with
	 * {@code messages[].} means a message parameter ({@code messages[].tool_calls}), one
	 * starting with {@code embeddings.} a parameter of embedding requests
	 * ({@code embeddings.dimensions}), any other name a chat request parameter.
	 * @param names the parameters to accept
	 * @return the new policy
	 */
	public ValidationPolicy allowing(String... names) {
		return withParameters(names, Set::remove);
	}

	/**
	 * A copy of this policy that also refuses the given parameters. Names follow the
	 * rules of {@link #allowing(String...)}.
	 * @param names the parameters to refuse
	 * @return the new policy
	 */
	public ValidationPolicy refusing(String... names) {
		return withParameters(names, Set::add);
	}

	private ValidationPolicy withParameters(String[] names, BiConsumer<Set<String>, String> change) {
		Set<String> request = new LinkedHashSet<>(this.unsupportedRequestParameters);
		Set<String> message = new LinkedHashSet<>(this.unsupportedMessageParameters);
		Set<String> embedding = new LinkedHashSet<>(this.unsupportedEmbeddingParameters);
		for (String name : names) {
			if (name.startsWith(MESSAGE_PREFIX)) {
				change.accept(message, name.substring(MESSAGE_PREFIX.length()));
			}
			else if (name.startsWith(EMBEDDING_PREFIX)) {
				change.accept(embedding, name.substring(EMBEDDING_PREFIX.length()));
			}
			else {
				change.accept(request, name);
			}
		}
		return new ValidationPolicy(this.mode, request, message, this.hints, embedding);
	}

	/**
	 * The hint for a request parameter.
	 * @param name the JSON field name, for example {@code max_tokens}
	 * @return the hint, or {@code null} when there is none
	 */
	public @Nullable String requestHint(String name) {
		return this.hints.get(name);
	}

	/**
	 * The hint for a message parameter: the one for {@code messages[].<name>}, else the
	 * one for the plain name.
	 * @param name the JSON field name in a message, for example {@code name}
	 * @return the hint, or {@code null} when there is none
	 */
	public @Nullable String messageHint(String name) {
		String hint = this.hints.get(MESSAGE_PREFIX + name);
		return (hint != null) ? hint : this.hints.get(name);
	}

	/**
	 * The hint for a parameter of embedding requests: the one for
	 * {@code embeddings.<name>}, else the one for the plain name.
	 * @param name the JSON field name, for example {@code dimensions}
	 * @return the hint, or {@code null} when there is none
	 */
	public @Nullable String embeddingHint(String name) {
		String hint = this.hints.get(EMBEDDING_PREFIX + name);
		return (hint != null) ? hint : this.hints.get(name);
	}

	private static Properties loadDefaults() {
		try (InputStream in = ValidationPolicy.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
			if (in == null) {
				throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing beside " + ValidationPolicy.class);
			}
			Properties properties = new Properties();
			properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
			return properties;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + DEFAULTS_RESOURCE, ex);
		}
	}

	private static Set<String> defaultNames(String key) {
		String names = DEFAULT_PARAMETERS.getProperty(key);
		if (names == null) {
			throw new IllegalStateException(DEFAULTS_RESOURCE + " has no " + key);
		}
		// Comma-separated, as Spring Boot binds a set from a property value.
		return Collections.unmodifiableSet(new LinkedHashSet<>(
				Arrays.stream(names.split(",")).map(String::strip).filter((name) -> !name.isEmpty()).toList()));
	}

	private static Map<String, String> defaultHints() {
		String deprecated = "deprecated by OpenAI and not supported by kluster.ai";
		String tools = "kluster.ai supports tools on some Llama models only; where yours does, allow it with "
				+ "kluster.validation.allowed-parameters";
		String removeFromMessage = "remove it from the message";
		Map<String, String> hints = new LinkedHashMap<>();
		hints.put("store", "remove it; kluster.ai does not store completions");
		hints.put("max_tokens", "use max_completion_tokens");
		hints.put("n", "send one request per completion");
		hints.put("modalities", "remove it; kluster.ai answers with text");
		hints.put("response_format", "describe the output format in the prompt");
		hints.put("service_tier", "remove it; for lower cost use batch jobs or metadata[\"@kluster.ai\"].async");
		hints.put("stream_options", "remove it; the last stream chunk carries usage when the server sends it");
		hints.put("tools", tools);
		hints.put("tool_choice", tools);
		hints.put("parallel_tool_calls", tools);
		hints.put("function_call", deprecated);
		hints.put("functions", deprecated);
		hints.put(MESSAGE_PREFIX + "name", "put the speaker's name in the message content");
		hints.put(MESSAGE_PREFIX + "refusal", removeFromMessage);
		hints.put(MESSAGE_PREFIX + "audio", removeFromMessage);
		hints.put(MESSAGE_PREFIX + "tool_calls", removeFromMessage);
		hints.put(EMBEDDING_PREFIX + "dimensions", "kluster.ai documents no dimensions for its embedding models; "
				+ "where yours can shorten its vectors, allow it with kluster.validation.allowed-parameters");
		return Collections.unmodifiableMap(hints);
	}

	private static Set<String> copy(Set<String> names, String description) {
		Objects.requireNonNull(names, description + " must not be null");
		Set<String> copy = new LinkedHashSet<>();
		for (String name : names) {
			copy.add(Objects.requireNonNull(name, description + " must not contain null"));
		}
		return Collections.unmodifiableSet(copy);
	}

	private static Map<String, String> copy(Map<String, String> hints) {
		Objects.requireNonNull(hints, "hints must not be null");
		Map<String, String> copy = new LinkedHashMap<>();
		hints.forEach((name, hint) -> copy.put(Objects.requireNonNull(name, "hints must not contain a null name"),
				Objects.requireNonNull(hint, "hints must not contain a null hint")));
		return Collections.unmodifiableMap(copy);
	}

}
