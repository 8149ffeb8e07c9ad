package dev.kluster.boot.validation;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.Role;
import dev.kluster.boot.model.KlusterOptions;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * The {@link RequestValidator} that enforces a {@link ValidationPolicy}: it refuses (or
 * drops) the parameters the policy lists as unsupported, in typed fields, in messages and
 * in extra body entries, and checks the values kluster.ai accepts (ranges, roles, required
 * fields, kluster.ai's own options).
 * <p>
 * This runs before every request, so parameters are found through a table of accessors
 * built once rather than by reflection or serialization, and a valid request costs no
 * allocation. Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class KlusterRequestValidator implements RequestValidator {

	private static final Log logger = LogFactory.getLog(KlusterRequestValidator.class);

	private final ValidationPolicy policy;

	private final Set<String> unsupportedRequestParameters;

	// Built on the first validation: the field tables link some eighty accessor lambdas,
	// which an application should not wait for at start-up.
	private final SingletonSupplier<UnsupportedFields> unsupportedFields;

	private final boolean toolsAllowed;

	/**
	 * Create a validator.
	 * @param policy what to enforce
	 */
	public KlusterRequestValidator(ValidationPolicy policy) {
		this.policy = Objects.requireNonNull(policy, "policy must not be null");
		this.unsupportedRequestParameters = policy.unsupportedRequestParameters();
		this.unsupportedFields = SingletonSupplier.of(() -> UnsupportedFields.of(policy));
		this.toolsAllowed = !this.unsupportedRequestParameters.contains("tools");
	}

	/**
	 * The policy this validator enforces.
	 * @return the policy
	 */
	public ValidationPolicy policy() {
		return this.policy;
	}

	@Override
	public ChatCompletionRequest validate(ChatCompletionRequest request) {
		ValidationMode mode = this.policy.mode();
		if (mode == ValidationMode.OFF) {
			return request;
		}
		return Violations.decide(mode, request, findUnsupported(request), checkRules(request), this::drop);
	}

	private @Nullable List<Violation> findUnsupported(ChatCompletionRequest request) {
		UnsupportedFields fields = this.unsupportedFields.obtain();
		List<Violation> found = null;
		for (RequestField field : fields.request()) {
			if (field.accessor().apply(request) != null) {
				found = add(found, unsupported(field.name(), this.policy.requestHint(field.name())));
			}
		}
		Map<String, Object> extraBody = request.extraBody();
		if (!extraBody.isEmpty()) {
			for (String name : extraBody.keySet()) {
				if (this.unsupportedRequestParameters.contains(name)) {
					found = add(found, unsupported(name, this.policy.requestHint(name)));
				}
			}
		}
		List<ChatMessage> messages = request.messages();
		if (messages != null && fields.message().length > 0) {
			for (int i = 0; i < messages.size(); i++) {
				ChatMessage message = messages.get(i);
				for (MessageField field : fields.message()) {
					if (field.accessor().apply(message) != null) {
						found = add(found, unsupported(messagePath(i, field.name()),
								this.policy.messageHint(field.name())));
					}
				}
			}
		}
		return found;
	}

	private @Nullable List<Violation> checkRules(ChatCompletionRequest request) {
		List<Violation> found = null;
		found = Violations.checkModel(found, request.model(), "kluster.chat.model");
		List<ChatMessage> messages = request.messages();
		if (messages == null) {
			found = add(found, new Violation("messages", "is required", null));
		}
		else if (messages.isEmpty()) {
			found = add(found, new Violation("messages", "must not be empty", null));
		}
		else {
			for (int i = 0; i < messages.size(); i++) {
				found = checkMessage(i, messages.get(i), found);
			}
		}
		found = checkRange(found, "frequency_penalty", request.frequencyPenalty(), -2, 2);
		found = checkRange(found, "presence_penalty", request.presencePenalty(), -2, 2);
		found = checkLogitBias(found, request.logitBias());
		found = checkTopLogprobs(found, request.topLogprobs(), request.logprobs());
		Integer maxCompletionTokens = request.maxCompletionTokens();
		if (maxCompletionTokens != null && maxCompletionTokens < 1 && isChecked("max_completion_tokens")) {
			found = add(found, new Violation("max_completion_tokens", "must be at least 1, was " + maxCompletionTokens,
					null));
		}
		List<String> stop = request.stop();
		if (stop != null && stop.size() > 4 && isChecked("stop")) {
			found = add(found, new Violation("stop", "must have at most 4 entries, had " + stop.size(), null));
		}
		found = checkRange(found, "temperature", request.temperature(), 0, 2);
		found = checkRange(found, "top_p", request.topP(), 0, 1);
		if (isChecked("metadata")) {
			found = checkMetadata(found, request.metadata(), request.klusterOptions());
		}
		return checkExtraBody(found, request.extraBody());
	}

	/**
	 * Jackson writes extra body entries after the typed fields, so a duplicate would put the
	 * same name twice in the body and the server would pick one of them.
	 */
	private @Nullable List<Violation> checkExtraBody(@Nullable List<Violation> found, Map<String, Object> extraBody) {
		if (!extraBody.isEmpty()) {
			for (String name : extraBody.keySet()) {
				RequestField field = Fields.REQUEST.get(name);
				if (field != null && !this.unsupportedRequestParameters.contains(name)) {
					found = add(found, new Violation(name, "is a typed field and must not be set as extra body",
							"use the builder method " + field.builderMethod() + "(...)"));
				}
			}
		}
		return found;
	}

	private @Nullable List<Violation> checkMessage(int index, ChatMessage message, @Nullable List<Violation> found) {
		// Roles are values, not an enum (answers may carry roles this version does not
		// know), so this is no switch; a role that is not known is refused like developer.
		Role role = message.role();
		if (role == Role.SYSTEM || role == Role.USER) {
			if (!hasContent(message)) {
				return add(found, new Violation(messagePath(index, "content"),
						"is required in " + role.wireName() + " messages", null));
			}
		}
		else if (role == Role.TOOL) {
			if (!this.toolsAllowed) {
				return add(found, roleViolation(index, message, this.policy.requestHint("tools")));
			}
		}
		else if (role == Role.DEVELOPER) {
			return add(found, roleViolation(index, message, "use a system message"));
		}
		else if (role == Role.FUNCTION) {
			return add(found, roleViolation(index, message, this.policy.requestHint("functions")));
		}
		else if (role != Role.ASSISTANT) {
			return add(found, roleViolation(index, message, null));
		}
		// An assistant turn needs no content: it may consist of tool calls only.
		return found;
	}

	private static boolean hasContent(ChatMessage message) {
		List<?> parts = message.parts();
		return message.text() != null || (parts != null && !parts.isEmpty());
	}

	private Violation roleViolation(int index, ChatMessage message, @Nullable String hint) {
		String allowed = this.toolsAllowed ? "system, user, assistant or tool" : "system, user or assistant";
		return new Violation(messagePath(index, "role"), "must be " + allowed + ", was " + message.role().wireName(),
				hint);
	}

	private @Nullable List<Violation> checkRange(@Nullable List<Violation> found, String name, @Nullable Double value,
			double min, double max) {
		// Written so that NaN fails too.
		if (value != null && !(value >= min && value <= max) && isChecked(name)) {
			return add(found, new Violation(name,
					"must be between " + number(min) + " and " + number(max) + ", was " + number(value), null));
		}
		return found;
	}

	private @Nullable List<Violation> checkLogitBias(@Nullable List<Violation> found,
			@Nullable Map<String, Integer> logitBias) {
		if (logitBias == null || logitBias.isEmpty() || !isChecked("logit_bias")) {
			return found;
		}
		for (Map.Entry<String, Integer> entry : logitBias.entrySet()) {
			int bias = entry.getValue();
			if (bias < -100 || bias > 100) {
				found = add(found, new Violation("logit_bias[\"" + entry.getKey() + "\"]",
						"must be between -100 and 100, was " + bias, null));
			}
		}
		return found;
	}

	private @Nullable List<Violation> checkTopLogprobs(@Nullable List<Violation> found, @Nullable Integer topLogprobs,
			@Nullable Boolean logprobs) {
		if (topLogprobs == null || !isChecked("top_logprobs")) {
			return found;
		}
		if (topLogprobs < 0 || topLogprobs > 20) {
			found = add(found, new Violation("top_logprobs", "must be between 0 and 20, was " + topLogprobs, null));
		}
		if (!Boolean.TRUE.equals(logprobs)) {
			found = add(found, new Violation("top_logprobs", "requires logprobs=true, logprobs was " + logprobs, null));
		}
		return found;
	}

	private @Nullable List<Violation> checkMetadata(@Nullable List<Violation> found,
			@Nullable Map<String, String> metadata, @Nullable KlusterOptions options) {
		if (metadata != null && metadata.containsKey(KlusterOptions.METADATA_KEY)) {
			found = add(found, new Violation("metadata[\"" + KlusterOptions.METADATA_KEY + "\"]",
					"must not be a free-form metadata entry", "use klusterOptions(...)"));
		}
		if (options == null) {
			return found;
		}
		String window = options.completionWindow();
		if (window != null && !isCompletionWindow(window)) {
			found = add(found, new Violation("metadata[\"" + KlusterOptions.METADATA_KEY + "\"].completion_window",
					"must be one of 24h, 48h, 72h, was \"" + window + "\"", null));
		}
		String callbackUrl = options.callbackUrl();
		if (callbackUrl != null && !isHttpUrl(callbackUrl)) {
			found = add(found, new Violation("metadata[\"" + KlusterOptions.METADATA_KEY + "\"].callback_url",
					"must be an absolute http or https URL, was \"" + callbackUrl + "\"", null));
		}
		return found;
	}

	private static boolean isCompletionWindow(String window) {
		return switch (window) {
			case "24h", "48h", "72h" -> true;
			default -> false;
		};
	}

	private static boolean isHttpUrl(String value) {
		try {
			URI uri = new URI(value);
			String scheme = uri.getScheme();
			return ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && uri.getHost() != null;
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

	/**
	 * A parameter the policy refuses is reported as unsupported; its value is then beside
	 * the point and would only repeat its path.
	 */
	private boolean isChecked(String name) {
		return !this.unsupportedRequestParameters.contains(name);
	}

	private ChatCompletionRequest drop(ChatCompletionRequest request, List<Violation> dropped) {
		UnsupportedFields fields = this.unsupportedFields.obtain();
		ChatCompletionRequest.Builder builder = request.toBuilder();
		for (RequestField field : fields.request()) {
			if (field.accessor().apply(request) != null) {
				field.clearer().accept(builder);
			}
		}
		Map<String, Object> extraBody = request.extraBody();
		if (!extraBody.isEmpty()) {
			Map<String, Object> kept = new LinkedHashMap<>(extraBody);
			kept.keySet().removeAll(this.unsupportedRequestParameters);
			builder.extraBody(kept);
		}
		List<ChatMessage> messages = request.messages();
		if (messages != null) {
			List<ChatMessage> cleaned = null;
			for (int i = 0; i < messages.size(); i++) {
				ChatMessage message = messages.get(i);
				ChatMessage.Builder messageBuilder = null;
				for (MessageField field : fields.message()) {
					if (field.accessor().apply(message) != null) {
						messageBuilder = (messageBuilder != null) ? messageBuilder : message.toBuilder();
						field.clearer().accept(messageBuilder);
					}
				}
				if (messageBuilder != null) {
					cleaned = (cleaned != null) ? cleaned : new ArrayList<>(messages);
					cleaned.set(i, messageBuilder.build());
				}
			}
			if (cleaned != null) {
				builder.messages(cleaned);
			}
		}
		Violations.logDropped(logger, dropped);
		return builder.build();
	}

	private static Violation unsupported(String path, @Nullable String hint) {
		return Violations.unsupported(path, hint);
	}

	private static String messagePath(int index, String name) {
		return "messages[" + index + "]." + name;
	}

	private static List<Violation> add(@Nullable List<Violation> found, Violation violation) {
		return Violations.add(found, violation);
	}

	private static String number(double value) {
		if (value == Math.rint(value) && Math.abs(value) < 1e15) {
			return Long.toString((long) value);
		}
		return Double.toString(value);
	}

	// The typed fields are read from the model records, so that a field added to a record
	// is known here (refusable by a policy, kept out of the extra body) without a second
	// list to keep in step.
	private static Map<String, RequestField> requestFields() {
		Map<String, RequestField> fields = new LinkedHashMap<>();
		for (RecordComponent component : ChatCompletionRequest.class.getRecordComponents()) {
			String name = jsonName(component);
			if (name != null) {
				Method setter = setter(ChatCompletionRequest.Builder.class, component);
				add(fields, name, component.getName(), (request) -> read(component, request),
						(builder) -> ReflectionUtils.invokeMethod(setter, builder, (Object) null));
			}
		}
		// On the wire, metadata holds both the free-form entries and kluster.ai's options.
		add(fields, "metadata", "metadata", ChatCompletionRequest::wireMetadata,
				(builder) -> builder.metadata(null).klusterOptions(null));
		return Collections.unmodifiableMap(fields);
	}

	private static @Nullable String jsonName(RecordComponent component) {
		JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
		return (property != null && !property.value().isEmpty()) ? property.value() : null;
	}

	private static @Nullable Object read(RecordComponent component, Object record) {
		return ReflectionUtils.invokeMethod(component.getAccessor(), record);
	}

	private static Method setter(Class<?> builder, RecordComponent component) {
		Method setter = ReflectionUtils.findMethod(builder, component.getName(), component.getType());
		if (setter == null) {
			throw new IllegalStateException(builder.getName() + " has no setter " + component.getName() + "("
					+ component.getType().getSimpleName() + ")");
		}
		return setter;
	}

	private static void add(Map<String, RequestField> fields, String name, String builderMethod,
			Function<ChatCompletionRequest, @Nullable Object> accessor, Consumer<ChatCompletionRequest.Builder> clearer) {
		fields.put(name, new RequestField(name, builderMethod, accessor, clearer));
	}

	private static Map<String, MessageField> messageFields() {
		Map<String, MessageField> fields = new LinkedHashMap<>();
		for (RecordComponent component : ChatMessage.class.getRecordComponents()) {
			String name = jsonName(component);
			// The role is checked by value, never refused as a parameter.
			if (name != null && !name.equals("role")) {
				Method setter = setter(ChatMessage.Builder.class, component);
				add(fields, name, (message) -> read(component, message),
						(builder) -> ReflectionUtils.invokeMethod(setter, builder, (Object) null));
			}
		}
		return Collections.unmodifiableMap(fields);
	}

	private static void add(Map<String, MessageField> fields, String name,
			Function<ChatMessage, @Nullable Object> accessor, Consumer<ChatMessage.Builder> clearer) {
		fields.put(name, new MessageField(name, accessor, clearer));
	}

	private record RequestField(String name, String builderMethod,
			Function<ChatCompletionRequest, @Nullable Object> accessor, Consumer<ChatCompletionRequest.Builder> clearer) {
	}

	private record MessageField(String name, Function<ChatMessage, @Nullable Object> accessor,
			Consumer<ChatMessage.Builder> clearer) {
	}


	/** The field tables, built when first used. */
	private static final class Fields {

		/** Every typed request field, by JSON name, in the order the request declares them. */
		static final Map<String, RequestField> REQUEST = requestFields();

		/** Every message field that can be refused, by JSON name. */
		static final Map<String, MessageField> MESSAGE = messageFields();

	}

	/** The fields a policy declares unsupported, in request field order. */
	private record UnsupportedFields(RequestField[] request, MessageField[] message) {

		// Request field order, not configuration order, so that reports read like the body.
		// Messages have no extra body, so a configured name without a field can never be set.
		static UnsupportedFields of(ValidationPolicy policy) {
			return new UnsupportedFields(
					Fields.REQUEST.values()
						.stream()
						.filter((field) -> policy.unsupportedRequestParameters().contains(field.name()))
						.toArray(RequestField[]::new),
					Fields.MESSAGE.values()
						.stream()
						.filter((field) -> policy.unsupportedMessageParameters().contains(field.name()))
						.toArray(MessageField[]::new));
		}

	}

}
