package dev.kluster.boot.observation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.common.docs.KeyName;
import org.jspecify.annotations.Nullable;

import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.EncodingFormat;
import dev.kluster.boot.model.ResponseFormat;
import dev.kluster.boot.model.Usage;
import dev.kluster.boot.observation.KlusterObservationDocumentation.HighCardinalityKeyNames;
import dev.kluster.boot.observation.KlusterObservationDocumentation.LowCardinalityKeyNames;

import static dev.kluster.boot.observation.CommonKeyValues.add;

/**
 * Default {@link KlusterChatObservationConvention}: the names and attributes of the
 * OpenTelemetry GenAI semantic conventions. Each key has a protected method, so that a
 * subclass can change one without repeating the others; a method returns {@code null}
 * when its key does not apply, and the key is then left out, as the conventions ask,
 * rather than set to a placeholder.
 * <p>
 * Model names come from the caller's requests, so the low-cardinality model keys let
 * through a bounded number of distinct names and tag the rest {@code _OTHER}; the span
 * then still carries the exact name.
 * <p>
 * The key values are asked for when a call starts and again when it ends. Those that
 * depend on the request only are computed once per call, the key values of the bounded
 * model names once per name, and the sorted low-cardinality key values once per tag set.
 *
 * @since 0.1.0
 */
public class DefaultKlusterChatObservationConvention implements KlusterChatObservationConvention {

	/**
	 * Name of the observation, and so of the timer metrics handlers record from it.
	 */
	public static final String DEFAULT_NAME = "gen_ai.client.operation.duration";

	/**
	 * Default number of distinct model names used as tag values.
	 */
	public static final int DEFAULT_MAX_MODEL_TAG_VALUES = 100;

	private static final KeyValue OPERATION_CHAT = KeyValue.of(LowCardinalityKeyNames.OPERATION_NAME,
			KlusterChatObservationContext.CHAT);

	private static final KeyValue REQUEST_STREAM_TRUE = KeyValue.of(HighCardinalityKeyNames.REQUEST_STREAM, "true");

	private static final KeyValue ENCODING_FLOAT = KeyValue.of(HighCardinalityKeyNames.REQUEST_ENCODING_FORMATS,
			"[\"float\"]");

	private static final KeyValue ENCODING_BASE64 = KeyValue.of(HighCardinalityKeyNames.REQUEST_ENCODING_FORMATS,
			"[\"base64\"]");

	private static final KeyValue ONE_ATTEMPT = KeyValue.of(HighCardinalityKeyNames.REQUEST_ATTEMPTS, "1");

	// Finish reasons are the server's words: few in practice, but kept for at most this many.
	private static final int MAX_CACHED_FINISH_REASONS = 16;

	// Tag sets are bounded by the bounded models and the few error types; past this many,
	// the key values are sorted on every call.
	private static final int MAX_CACHED_TAG_SETS = 1000;

	private final BoundedTagValues models;

	// Keyed by bounded names, so no larger than the bound (plus _OTHER).
	private final Map<String, KeyValue> requestModels = new ConcurrentHashMap<>();

	private final Map<String, KeyValue> responseModels = new ConcurrentHashMap<>();

	private final Map<String, String> chatSpanNames = new ConcurrentHashMap<>();

	private final Map<String, KeyValue> singleFinishReasons = new ConcurrentHashMap<>();

	// The few tag sets of an application's calls, each sorted once rather than twice per
	// call.
	private final Map<LowCardinality, KeyValues> lowCardinalityKeyValues = new ConcurrentHashMap<>();

	/**
	 * Create a convention that tags up to {@value #DEFAULT_MAX_MODEL_TAG_VALUES} distinct
	 * models.
	 */
	public DefaultKlusterChatObservationConvention() {
		this(DEFAULT_MAX_MODEL_TAG_VALUES);
	}

	/**
	 * Create a convention.
	 * @param maxModelTagValues how many distinct model names to use as tag values before
	 * tagging further ones {@code _OTHER}
	 */
	public DefaultKlusterChatObservationConvention(int maxModelTagValues) {
		this.models = new BoundedTagValues(maxModelTagValues);
	}

	@Override
	public String getName() {
		return DEFAULT_NAME;
	}

	/**
	 * The span name of the conventions: {@code {gen_ai.operation.name} {gen_ai.request.model}},
	 * or the operation alone when the call names no model.
	 */
	@Override
	public String getContextualName(KlusterChatObservationContext context) {
		String model = model(context);
		if (model == null) {
			return context.getOperationName();
		}
		if (KlusterChatObservationContext.CHAT.equals(context.getOperationName()) && isBounded(model)) {
			return this.chatSpanNames.computeIfAbsent(model, (name) -> KlusterChatObservationContext.CHAT + " " + name);
		}
		return context.getOperationName() + " " + model;
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(KlusterChatObservationContext context) {
		LowCardinality key = new LowCardinality(operationName(context), providerName(context), requestModel(context),
				responseModel(context), serverAddress(context), serverPort(context), errorType(context));
		KeyValues keyValues = this.lowCardinalityKeyValues.get(key);
		if (keyValues == null) {
			keyValues = key.toKeyValues();
			if (this.lowCardinalityKeyValues.size() < MAX_CACHED_TAG_SETS) {
				this.lowCardinalityKeyValues.put(key, keyValues);
			}
		}
		return keyValues;
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(KlusterChatObservationContext context) {
		List<KeyValue> request = context.getRequestKeyValues(this);
		if (request == null) {
			request = requestKeyValues(context);
			context.setRequestKeyValues(this, request);
		}
		List<KeyValue> keyValues = new ArrayList<>(request.size() + 9);
		keyValues.addAll(request);
		add(keyValues, responseId(context));
		add(keyValues, responseFinishReasons(context));
		add(keyValues, responseTimeToFirstChunk(context));
		add(keyValues, usageInputTokens(context));
		add(keyValues, usageOutputTokens(context));
		add(keyValues, outputMessages(context));
		add(keyValues, responseModelUnbounded(context));
		add(keyValues, requestAttempts(context));
		add(keyValues, embeddingsDimensionCount(context));
		return KeyValues.of(keyValues);
	}

	// What the request as sent determines: the same at the start and the end of a call.
	private List<KeyValue> requestKeyValues(KlusterChatObservationContext context) {
		List<KeyValue> keyValues = new ArrayList<>();
		add(keyValues, requestStream(context));
		add(keyValues, requestTemperature(context));
		add(keyValues, requestTopP(context));
		add(keyValues, requestMaxTokens(context));
		add(keyValues, requestFrequencyPenalty(context));
		add(keyValues, requestPresencePenalty(context));
		add(keyValues, requestStopSequences(context));
		add(keyValues, requestSeed(context));
		add(keyValues, requestChoiceCount(context));
		add(keyValues, outputType(context));
		add(keyValues, inputMessages(context));
		add(keyValues, requestModelUnbounded(context));
		add(keyValues, requestEncodingFormats(context));
		return keyValues;
	}

	// Low cardinality

	protected KeyValue operationName(KlusterChatObservationContext context) {
		return KlusterChatObservationContext.CHAT.equals(context.getOperationName()) ? OPERATION_CHAT
				: KeyValue.of(LowCardinalityKeyNames.OPERATION_NAME, context.getOperationName());
	}

	protected KeyValue providerName(KlusterChatObservationContext context) {
		return CommonKeyValues.PROVIDER;
	}

	protected @Nullable KeyValue requestModel(KlusterChatObservationContext context) {
		String model = model(context);
		return (model != null) ? boundedModel(this.requestModels, LowCardinalityKeyNames.REQUEST_MODEL, model) : null;
	}

	protected @Nullable KeyValue responseModel(KlusterChatObservationContext context) {
		String model = context.getResponseModel();
		return (model != null) ? boundedModel(this.responseModels, LowCardinalityKeyNames.RESPONSE_MODEL, model) : null;
	}

	private KeyValue boundedModel(Map<String, KeyValue> keyValues, KeyName key, String model) {
		String bounded = this.models.bound(model);
		KeyValue keyValue = keyValues.get(bounded);
		if (keyValue == null) {
			keyValue = KeyValue.of(key, bounded);
			keyValues.put(bounded, keyValue);
		}
		return keyValue;
	}

	private boolean isBounded(String model) {
		return model.equals(this.models.bound(model));
	}

	protected @Nullable KeyValue serverAddress(KlusterChatObservationContext context) {
		return CommonKeyValues.serverAddress(context);
	}

	protected @Nullable KeyValue serverPort(KlusterChatObservationContext context) {
		return CommonKeyValues.serverPort(context);
	}

	/**
	 * The canonical class name of the error, as the conventions recommend. The client
	 * fails only with its own exception types, so the values are few; a class without a
	 * canonical name is reported as {@code _OTHER}.
	 * @param context the context
	 * @return the key value, or {@code null} when the call did not fail
	 */
	protected @Nullable KeyValue errorType(KlusterChatObservationContext context) {
		return CommonKeyValues.errorType(context);
	}

	// High cardinality: request

	protected @Nullable KeyValue requestStream(KlusterChatObservationContext context) {
		return context.isStreaming() ? REQUEST_STREAM_TRUE : null;
	}

	protected @Nullable KeyValue requestTemperature(KlusterChatObservationContext context) {
		ChatCompletionRequest request = context.getRequest();
		return (request != null) ? number(HighCardinalityKeyNames.REQUEST_TEMPERATURE, request.temperature()) : null;
	}

	protected @Nullable KeyValue requestTopP(KlusterChatObservationContext context) {
		ChatCompletionRequest request = context.getRequest();
		return (request != null) ? number(HighCardinalityKeyNames.REQUEST_TOP_P, request.topP()) : null;
	}

	protected @Nullable KeyValue requestMaxTokens(KlusterChatObservationContext context) {
		ChatCompletionRequest request = context.getRequest();
		if (request == null) {
			return null;
		}
		Integer maxTokens = (request.maxCompletionTokens() != null) ? request.maxCompletionTokens()
				: request.maxTokens();
		return number(HighCardinalityKeyNames.REQUEST_MAX_TOKENS, maxTokens);
	}

	protected @Nullable KeyValue requestFrequencyPenalty(KlusterChatObservationContext context) {
		ChatCompletionRequest request = context.getRequest();
		return (request != null) ? number(HighCardinalityKeyNames.REQUEST_FREQUENCY_PENALTY, request.frequencyPenalty())
				: null;
	}

	protected @Nullable KeyValue requestPresencePenalty(KlusterChatObservationContext context) {
		ChatCompletionRequest request = context.getRequest();
		return (request != null) ? number(HighCardinalityKeyNames.REQUEST_PRESENCE_PENALTY, request.presencePenalty())
				: null;
	}

	protected @Nullable KeyValue requestStopSequences(KlusterChatObservationContext context) {
		ChatCompletionRequest request = context.getRequest();
		List<String> stop = (request != null) ? request.stop() : null;
		return (stop != null && !stop.isEmpty()) ? KeyValue.of(HighCardinalityKeyNames.REQUEST_STOP_SEQUENCES, array(stop))
				: null;
	}

	protected @Nullable KeyValue requestSeed(KlusterChatObservationContext context) {
		ChatCompletionRequest request = context.getRequest();
		return (request != null) ? number(HighCardinalityKeyNames.REQUEST_SEED, request.seed()) : null;
	}

	protected @Nullable KeyValue requestChoiceCount(KlusterChatObservationContext context) {
		ChatCompletionRequest request = context.getRequest();
		Integer n = (request != null) ? request.n() : null;
		return (n != null && n != 1) ? KeyValue.of(HighCardinalityKeyNames.REQUEST_CHOICE_COUNT, n.toString()) : null;
	}

	protected @Nullable KeyValue outputType(KlusterChatObservationContext context) {
		ChatCompletionRequest request = context.getRequest();
		ResponseFormat format = (request != null) ? request.responseFormat() : null;
		if (format == null) {
			return null;
		}
		String type = format.type().startsWith("json") ? "json" : format.type();
		return KeyValue.of(HighCardinalityKeyNames.OUTPUT_TYPE, type);
	}

	protected @Nullable KeyValue requestEncodingFormats(KlusterChatObservationContext context) {
		if (!(context instanceof KlusterEmbeddingObservationContext embedding)) {
			return null;
		}
		EncodingFormat format = embedding.getEmbeddingRequest().encodingFormat();
		return (format != null) ? ((format == EncodingFormat.BASE64) ? ENCODING_BASE64 : ENCODING_FLOAT) : null;
	}

	// High cardinality: response

	protected @Nullable KeyValue embeddingsDimensionCount(KlusterChatObservationContext context) {
		int dimensions = (context instanceof KlusterEmbeddingObservationContext embedding)
				? embedding.getDimensionCount() : -1;
		return (dimensions >= 0)
				? KeyValue.of(HighCardinalityKeyNames.EMBEDDINGS_DIMENSION_COUNT, Integer.toString(dimensions)) : null;
	}

	protected @Nullable KeyValue responseId(KlusterChatObservationContext context) {
		String id = context.getResponseId();
		return (id != null) ? KeyValue.of(HighCardinalityKeyNames.RESPONSE_ID, id) : null;
	}

	protected @Nullable KeyValue responseFinishReasons(KlusterChatObservationContext context) {
		List<String> reasons = context.getFinishReasons();
		if (reasons.isEmpty()) {
			return null;
		}
		if (reasons.size() == 1) {
			KeyValue known = this.singleFinishReasons.get(reasons.get(0));
			if (known != null) {
				return known;
			}
		}
		KeyValue keyValue = KeyValue.of(HighCardinalityKeyNames.RESPONSE_FINISH_REASONS, array(reasons));
		if (reasons.size() == 1 && this.singleFinishReasons.size() < MAX_CACHED_FINISH_REASONS) {
			this.singleFinishReasons.put(reasons.get(0), keyValue);
		}
		return keyValue;
	}

	protected @Nullable KeyValue responseTimeToFirstChunk(KlusterChatObservationContext context) {
		Duration time = context.getTimeToFirstChunk();
		return (time != null) ? KeyValue.of(HighCardinalityKeyNames.RESPONSE_TIME_TO_FIRST_CHUNK,
				Double.toString(time.toNanos() / 1e9)) : null;
	}

	protected @Nullable KeyValue usageInputTokens(KlusterChatObservationContext context) {
		Usage usage = context.getUsage();
		return (usage != null)
				? KeyValue.of(HighCardinalityKeyNames.USAGE_INPUT_TOKENS, Integer.toString(usage.promptTokens())) : null;
	}

	protected @Nullable KeyValue usageOutputTokens(KlusterChatObservationContext context) {
		Usage usage = context.getUsage();
		return (usage != null)
				? KeyValue.of(HighCardinalityKeyNames.USAGE_OUTPUT_TOKENS, Integer.toString(usage.completionTokens()))
				: null;
	}

	// High cardinality: content, only when recording is on

	protected @Nullable KeyValue inputMessages(KlusterChatObservationContext context) {
		ChatCompletionRequest request = context.getRequest();
		if (!context.isContentRecorded() || request == null || request.messages() == null) {
			return null;
		}
		return KeyValue.of(HighCardinalityKeyNames.INPUT_MESSAGES, GenAiMessages.input(request.messages()));
	}

	protected @Nullable KeyValue outputMessages(KlusterChatObservationContext context) {
		if (!context.isContentRecorded()) {
			return null;
		}
		String output = GenAiMessages.output(context);
		return (output != null) ? KeyValue.of(HighCardinalityKeyNames.OUTPUT_MESSAGES, output) : null;
	}

	// High cardinality: exact models where the meter tag was bounded

	protected @Nullable KeyValue requestModelUnbounded(KlusterChatObservationContext context) {
		String model = model(context);
		return (model != null && !isBounded(model)) ? KeyValue.of(HighCardinalityKeyNames.REQUEST_MODEL_UNBOUNDED, model)
				: null;
	}

	protected @Nullable KeyValue responseModelUnbounded(KlusterChatObservationContext context) {
		String model = context.getResponseModel();
		return (model != null && !isBounded(model))
				? KeyValue.of(HighCardinalityKeyNames.RESPONSE_MODEL_UNBOUNDED, model) : null;
	}

	private static @Nullable String model(KlusterChatObservationContext context) {
		String model = context.getRequestModel();
		return (model != null && !model.isBlank()) ? model : null;
	}

	protected KeyValue requestAttempts(KlusterChatObservationContext context) {
		int attempts = context.getAttempts();
		return (attempts == 1) ? ONE_ATTEMPT
				: KeyValue.of(HighCardinalityKeyNames.REQUEST_ATTEMPTS, Integer.toString(attempts));
	}

	private static @Nullable KeyValue number(HighCardinalityKeyNames key, @Nullable Number value) {
		return (value != null) ? KeyValue.of(key, value.toString()) : null;
	}

	private static String array(List<String> values) {
		StringBuilder json = new StringBuilder().append('[');
		for (int i = 0; i < values.size(); i++) {
			if (i > 0) {
				json.append(',');
			}
			GenAiMessages.string(json, values.get(i));
		}
		return json.append(']').toString();
	}

	/** The low-cardinality key values of a call, those that do not apply {@code null}. */
	private record LowCardinality(KeyValue operationName, KeyValue providerName, @Nullable KeyValue requestModel,
			@Nullable KeyValue responseModel, @Nullable KeyValue serverAddress, @Nullable KeyValue serverPort,
			@Nullable KeyValue errorType) {

		KeyValues toKeyValues() {
			List<KeyValue> keyValues = new ArrayList<>(7);
			keyValues.add(this.operationName);
			keyValues.add(this.providerName);
			add(keyValues, this.requestModel);
			add(keyValues, this.responseModel);
			add(keyValues, this.serverAddress);
			add(keyValues, this.serverPort);
			add(keyValues, this.errorType);
			return KeyValues.of(keyValues);
		}

	}

}
