package dev.kluster.boot.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/**
 * A chat completion request ({@code POST /chat/completions}). It covers the whole OpenAI
 * request so that code ported from OpenAI compiles; what kluster.ai does not support is
 * reported by validation before anything is sent.
 * <p>
 * kluster.ai's own options travel as {@code metadata["@kluster.ai"]} and are set with
 * {@link Builder#klusterOptions(KlusterOptions)}. Fields this type does not know go in
 * {@link Builder#extraBody(String, Object) extra body} entries, which are validated too.
 * <p>
 * Instances are immutable; {@link #toBuilder()} starts a modified copy.
 *
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonAutoDetect(getterVisibility = JsonAutoDetect.Visibility.NONE,
		isGetterVisibility = JsonAutoDetect.Visibility.NONE, fieldVisibility = JsonAutoDetect.Visibility.NONE)
@JsonPropertyOrder({ "model", "messages" })
public final class ChatCompletionRequest {
	private final @Nullable String model;
	private final @Nullable List<ChatMessage> messages;
	private final @Nullable Double frequencyPenalty;
	private final @Nullable Double presencePenalty;
	private final @Nullable Map<String, Integer> logitBias;
	private final @Nullable Boolean logprobs;
	private final @Nullable Integer topLogprobs;
	private final @Nullable Integer maxCompletionTokens;
	private final @Nullable Long seed;
	private final @Nullable List<String> stop;
	private final @Nullable Boolean stream;
	private final @Nullable Double temperature;
	private final @Nullable Double topP;
	private final @Nullable String user;
	private final @Nullable Boolean store;
	private final @Nullable Integer maxTokens;
	private final @Nullable Integer n;
	private final @Nullable List<String> modalities;
	private final @Nullable ResponseFormat responseFormat;
	private final @Nullable String serviceTier;
	private final @Nullable Map<String, Object> streamOptions;
	private final @Nullable List<ToolDefinition> tools;
	private final @Nullable Object toolChoice;
	private final @Nullable Boolean parallelToolCalls;
	private final @Nullable Object functionCall;
	private final @Nullable List<ToolDefinition.FunctionDefinition> functions;
	private final @Nullable String reasoningEffort;
	private final @Nullable String verbosity;
	private final @Nullable Map<String, Object> webSearchOptions;
	private final @Nullable Map<String, Object> audio;
	private final @Nullable Map<String, Object> prediction;
	private final @Nullable String safetyIdentifier;
	private final @Nullable String promptCacheKey;
	private final @Nullable Map<String, String> metadata;
	private final @Nullable KlusterOptions klusterOptions;
	private final Map<String, Object> extraBody;
	/** Metadata as sent: the user's entries plus the kluster.ai options, built once. */
	private final @Nullable Map<String, Object> wireMetadata;

	private ChatCompletionRequest(Builder builder) {
		this.model = builder.model;
		this.messages = (builder.messages != null) ? List.copyOf(builder.messages) : null;
		this.frequencyPenalty = builder.frequencyPenalty;
		this.presencePenalty = builder.presencePenalty;
		this.logitBias = (builder.logitBias != null) ? Map.copyOf(builder.logitBias) : null;
		this.logprobs = builder.logprobs;
		this.topLogprobs = builder.topLogprobs;
		this.maxCompletionTokens = builder.maxCompletionTokens;
		this.seed = builder.seed;
		this.stop = (builder.stop != null) ? List.copyOf(builder.stop) : null;
		this.stream = builder.stream;
		this.temperature = builder.temperature;
		this.topP = builder.topP;
		this.user = builder.user;
		this.store = builder.store;
		this.maxTokens = builder.maxTokens;
		this.n = builder.n;
		this.modalities = (builder.modalities != null) ? List.copyOf(builder.modalities) : null;
		this.responseFormat = builder.responseFormat;
		this.serviceTier = builder.serviceTier;
		this.streamOptions = (builder.streamOptions != null) ? Map.copyOf(builder.streamOptions) : null;
		this.tools = (builder.tools != null) ? List.copyOf(builder.tools) : null;
		this.toolChoice = builder.toolChoice;
		this.parallelToolCalls = builder.parallelToolCalls;
		this.functionCall = builder.functionCall;
		this.functions = (builder.functions != null) ? List.copyOf(builder.functions) : null;
		this.reasoningEffort = builder.reasoningEffort;
		this.verbosity = builder.verbosity;
		this.webSearchOptions = (builder.webSearchOptions != null) ? Map.copyOf(builder.webSearchOptions) : null;
		this.audio = (builder.audio != null) ? Map.copyOf(builder.audio) : null;
		this.prediction = (builder.prediction != null) ? Map.copyOf(builder.prediction) : null;
		this.safetyIdentifier = builder.safetyIdentifier;
		this.promptCacheKey = builder.promptCacheKey;
		this.metadata = (builder.metadata != null) ? Map.copyOf(builder.metadata) : null;
		this.klusterOptions = builder.klusterOptions;
		this.extraBody = (builder.extraBody != null) ? Map.copyOf(builder.extraBody) : Map.of();
		this.wireMetadata = wireMetadata(this.metadata, this.klusterOptions);
	}

	private static @Nullable Map<String, Object> wireMetadata(@Nullable Map<String, String> metadata,
			@Nullable KlusterOptions klusterOptions) {
		if (klusterOptions == null) {
			return (metadata != null) ? Map.copyOf(metadata) : null;
		}
		Map<String, Object> wire = new LinkedHashMap<>();
		if (metadata != null) {
			wire.putAll(metadata);
		}
		wire.put(KlusterOptions.METADATA_KEY, klusterOptions);
		return Collections.unmodifiableMap(wire);
	}

	/**
	 * Start building a request.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * A builder that starts from this request.
	 * @return a new builder with this request's values
	 */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.model = this.model;
		builder.messages = this.messages;
		builder.frequencyPenalty = this.frequencyPenalty;
		builder.presencePenalty = this.presencePenalty;
		builder.logitBias = this.logitBias;
		builder.logprobs = this.logprobs;
		builder.topLogprobs = this.topLogprobs;
		builder.maxCompletionTokens = this.maxCompletionTokens;
		builder.seed = this.seed;
		builder.stop = this.stop;
		builder.stream = this.stream;
		builder.temperature = this.temperature;
		builder.topP = this.topP;
		builder.user = this.user;
		builder.store = this.store;
		builder.maxTokens = this.maxTokens;
		builder.n = this.n;
		builder.modalities = this.modalities;
		builder.responseFormat = this.responseFormat;
		builder.serviceTier = this.serviceTier;
		builder.streamOptions = this.streamOptions;
		builder.tools = this.tools;
		builder.toolChoice = this.toolChoice;
		builder.parallelToolCalls = this.parallelToolCalls;
		builder.functionCall = this.functionCall;
		builder.functions = this.functions;
		builder.reasoningEffort = this.reasoningEffort;
		builder.verbosity = this.verbosity;
		builder.webSearchOptions = this.webSearchOptions;
		builder.audio = this.audio;
		builder.prediction = this.prediction;
		builder.safetyIdentifier = this.safetyIdentifier;
		builder.promptCacheKey = this.promptCacheKey;
		builder.metadata = this.metadata;
		builder.klusterOptions = this.klusterOptions;
		builder.extraBody = this.extraBody.isEmpty() ? null : new LinkedHashMap<>(this.extraBody);
		return builder;
	}

	/**
	 * Model id, for example {@code klusterai/Meta-Llama-3.1-8B-Instruct-Turbo}.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("model")
	public @Nullable String model() {
		return this.model;
	}

	/**
	 * The conversation so far.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("messages")
	public @Nullable List<ChatMessage> messages() {
		return this.messages;
	}

	/**
	 * Penalty for frequent tokens, -2 to 2.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("frequency_penalty")
	public @Nullable Double frequencyPenalty() {
		return this.frequencyPenalty;
	}

	/**
	 * Penalty for tokens already present, -2 to 2.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("presence_penalty")
	public @Nullable Double presencePenalty() {
		return this.presencePenalty;
	}

	/**
	 * Bias per token id, -100 to 100.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("logit_bias")
	public @Nullable Map<String, Integer> logitBias() {
		return this.logitBias;
	}

	/**
	 * Whether to return log probabilities of the output tokens.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("logprobs")
	public @Nullable Boolean logprobs() {
		return this.logprobs;
	}

	/**
	 * Number of most likely tokens to return per position, 0 to 20; needs {@code logprobs}.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("top_logprobs")
	public @Nullable Integer topLogprobs() {
		return this.topLogprobs;
	}

	/**
	 * Upper bound of generated tokens.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("max_completion_tokens")
	public @Nullable Integer maxCompletionTokens() {
		return this.maxCompletionTokens;
	}

	/**
	 * Seed for best-effort deterministic sampling.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("seed")
	public @Nullable Long seed() {
		return this.seed;
	}

	/**
	 * Up to 4 sequences where generation stops.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("stop")
	public @Nullable List<String> stop() {
		return this.stop;
	}

	/**
	 * Whether to stream the answer as server-sent events; set by the client.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("stream")
	public @Nullable Boolean stream() {
		return this.stream;
	}

	/**
	 * Sampling temperature, 0 to 2.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("temperature")
	public @Nullable Double temperature() {
		return this.temperature;
	}

	/**
	 * Nucleus sampling probability mass, 0 to 1.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("top_p")
	public @Nullable Double topP() {
		return this.topP;
	}

	/**
	 * End-user identifier.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("user")
	public @Nullable String user() {
		return this.user;
	}

	/**
	 * OpenAI only: not supported by kluster.ai.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("store")
	public @Nullable Boolean store() {
		return this.store;
	}

	/**
	 * OpenAI's deprecated token limit: not supported by kluster.ai, use {@code max_completion_tokens}.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("max_tokens")
	public @Nullable Integer maxTokens() {
		return this.maxTokens;
	}

	/**
	 * OpenAI only: number of choices; not supported by kluster.ai.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("n")
	public @Nullable Integer n() {
		return this.n;
	}

	/**
	 * OpenAI only: output modalities; not supported by kluster.ai.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("modalities")
	public @Nullable List<String> modalities() {
		return this.modalities;
	}

	/**
	 * OpenAI only: output format; not supported by kluster.ai.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("response_format")
	public @Nullable ResponseFormat responseFormat() {
		return this.responseFormat;
	}

	/**
	 * OpenAI only: service tier; not supported by kluster.ai.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("service_tier")
	public @Nullable String serviceTier() {
		return this.serviceTier;
	}

	/**
	 * OpenAI only: stream options; not supported by kluster.ai.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("stream_options")
	public @Nullable Map<String, Object> streamOptions() {
		return this.streamOptions;
	}

	/**
	 * Tools the model may call; not supported by kluster.ai's compatibility page.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("tools")
	public @Nullable List<ToolDefinition> tools() {
		return this.tools;
	}

	/**
	 * Which tool to call: {@code none}, {@code auto}, {@code required} or an object.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("tool_choice")
	public @Nullable Object toolChoice() {
		return this.toolChoice;
	}

	/**
	 * Whether tools may be called in parallel.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("parallel_tool_calls")
	public @Nullable Boolean parallelToolCalls() {
		return this.parallelToolCalls;
	}

	/**
	 * OpenAI's deprecated function call control: not supported by kluster.ai.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("function_call")
	public @Nullable Object functionCall() {
		return this.functionCall;
	}

	/**
	 * OpenAI's deprecated functions: not supported by kluster.ai.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("functions")
	public @Nullable List<ToolDefinition.FunctionDefinition> functions() {
		return this.functions;
	}

	/**
	 * OpenAI reasoning effort.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("reasoning_effort")
	public @Nullable String reasoningEffort() {
		return this.reasoningEffort;
	}

	/**
	 * OpenAI verbosity.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("verbosity")
	public @Nullable String verbosity() {
		return this.verbosity;
	}

	/**
	 * OpenAI web search options.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("web_search_options")
	public @Nullable Map<String, Object> webSearchOptions() {
		return this.webSearchOptions;
	}

	/**
	 * OpenAI audio output options.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("audio")
	public @Nullable Map<String, Object> audio() {
		return this.audio;
	}

	/**
	 * OpenAI predicted output.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("prediction")
	public @Nullable Map<String, Object> prediction() {
		return this.prediction;
	}

	/**
	 * OpenAI safety identifier.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("safety_identifier")
	public @Nullable String safetyIdentifier() {
		return this.safetyIdentifier;
	}

	/**
	 * OpenAI prompt cache key.
	 * @return the value, or {@code null} when unset
	 */
	@JsonProperty("prompt_cache_key")
	public @Nullable String promptCacheKey() {
		return this.promptCacheKey;
	}

	/**
	 * Free-form metadata entries, without the kluster.ai options.
	 * @return the entries, or {@code null} when unset
	 */
	public @Nullable Map<String, String> metadata() {
		return this.metadata;
	}

	/**
	 * kluster.ai options, sent as {@code metadata["@kluster.ai"]}.
	 * @return the options, or {@code null} when unset
	 */
	public @Nullable KlusterOptions klusterOptions() {
		return this.klusterOptions;
	}

	/**
	 * Metadata as it goes on the wire: the free-form entries and the kluster.ai options.
	 * @return the metadata object, or {@code null} when there is none
	 */
	@JsonProperty("metadata")
	public @Nullable Map<String, Object> wireMetadata() {
		return this.wireMetadata;
	}

	/**
	 * Body fields this type does not model, sent as they are.
	 * @return the extra fields, never {@code null}
	 */
	@JsonAnyGetter
	public Map<String, Object> extraBody() {
		return this.extraBody;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof ChatCompletionRequest that)) {
			return false;
		}
		return Objects.equals(this.model, that.model)
				&& Objects.equals(this.messages, that.messages)
				&& Objects.equals(this.frequencyPenalty, that.frequencyPenalty)
				&& Objects.equals(this.presencePenalty, that.presencePenalty)
				&& Objects.equals(this.logitBias, that.logitBias)
				&& Objects.equals(this.logprobs, that.logprobs)
				&& Objects.equals(this.topLogprobs, that.topLogprobs)
				&& Objects.equals(this.maxCompletionTokens, that.maxCompletionTokens)
				&& Objects.equals(this.seed, that.seed)
				&& Objects.equals(this.stop, that.stop)
				&& Objects.equals(this.stream, that.stream)
				&& Objects.equals(this.temperature, that.temperature)
				&& Objects.equals(this.topP, that.topP)
				&& Objects.equals(this.user, that.user)
				&& Objects.equals(this.store, that.store)
				&& Objects.equals(this.maxTokens, that.maxTokens)
				&& Objects.equals(this.n, that.n)
				&& Objects.equals(this.modalities, that.modalities)
				&& Objects.equals(this.responseFormat, that.responseFormat)
				&& Objects.equals(this.serviceTier, that.serviceTier)
				&& Objects.equals(this.streamOptions, that.streamOptions)
				&& Objects.equals(this.tools, that.tools)
				&& Objects.equals(this.toolChoice, that.toolChoice)
				&& Objects.equals(this.parallelToolCalls, that.parallelToolCalls)
				&& Objects.equals(this.functionCall, that.functionCall)
				&& Objects.equals(this.functions, that.functions)
				&& Objects.equals(this.reasoningEffort, that.reasoningEffort)
				&& Objects.equals(this.verbosity, that.verbosity)
				&& Objects.equals(this.webSearchOptions, that.webSearchOptions)
				&& Objects.equals(this.audio, that.audio)
				&& Objects.equals(this.prediction, that.prediction)
				&& Objects.equals(this.safetyIdentifier, that.safetyIdentifier)
				&& Objects.equals(this.promptCacheKey, that.promptCacheKey)
				&& Objects.equals(this.metadata, that.metadata)
				&& Objects.equals(this.klusterOptions, that.klusterOptions)
				&& this.extraBody.equals(that.extraBody);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.model, this.messages, this.frequencyPenalty, this.presencePenalty, this.logitBias, this.logprobs, this.topLogprobs, this.maxCompletionTokens, this.seed, this.stop, this.stream, this.temperature, this.topP, this.user, this.store, this.maxTokens, this.n, this.modalities, this.responseFormat, this.serviceTier, this.streamOptions, this.tools, this.toolChoice, this.parallelToolCalls, this.functionCall, this.functions, this.reasoningEffort, this.verbosity, this.webSearchOptions, this.audio, this.prediction, this.safetyIdentifier, this.promptCacheKey, this.metadata, this.klusterOptions, this.extraBody);
	}

	@Override
	public String toString() {
		// Message content can be large or private: name the shape, not the text.
		return "ChatCompletionRequest[model=" + this.model + ", messages="
				+ ((this.messages != null) ? this.messages.size() : 0) + ", stream=" + this.stream + "]";
	}

	/**
	 * Builder of {@link ChatCompletionRequest}.
	 */
	public static final class Builder {

		private @Nullable String model;

		private @Nullable List<ChatMessage> messages;

		private @Nullable Double frequencyPenalty;

		private @Nullable Double presencePenalty;

		private @Nullable Map<String, Integer> logitBias;

		private @Nullable Boolean logprobs;

		private @Nullable Integer topLogprobs;

		private @Nullable Integer maxCompletionTokens;

		private @Nullable Long seed;

		private @Nullable List<String> stop;

		private @Nullable Boolean stream;

		private @Nullable Double temperature;

		private @Nullable Double topP;

		private @Nullable String user;

		private @Nullable Boolean store;

		private @Nullable Integer maxTokens;

		private @Nullable Integer n;

		private @Nullable List<String> modalities;

		private @Nullable ResponseFormat responseFormat;

		private @Nullable String serviceTier;

		private @Nullable Map<String, Object> streamOptions;

		private @Nullable List<ToolDefinition> tools;

		private @Nullable Object toolChoice;

		private @Nullable Boolean parallelToolCalls;

		private @Nullable Object functionCall;

		private @Nullable List<ToolDefinition.FunctionDefinition> functions;

		private @Nullable String reasoningEffort;

		private @Nullable String verbosity;

		private @Nullable Map<String, Object> webSearchOptions;

		private @Nullable Map<String, Object> audio;

		private @Nullable Map<String, Object> prediction;

		private @Nullable String safetyIdentifier;

		private @Nullable String promptCacheKey;

		private @Nullable Map<String, String> metadata;

		private @Nullable KlusterOptions klusterOptions;

		private @Nullable Map<String, Object> extraBody;

		private Builder() {
		}

		/**
		 * Append messages to the conversation.
		 * @param messages the messages to add
		 * @return this builder
		 */
		public Builder message(ChatMessage... messages) {
			ArrayList<ChatMessage> all = (this.messages != null) ? new ArrayList<>(this.messages)
					: new ArrayList<>();
			all.addAll(List.of(messages));
			this.messages = all;
			return this;
		}

		/**
		 * Set stop sequences.
		 * @param stop up to 4 sequences
		 * @return this builder
		 */
		public Builder stop(String... stop) {
			this.stop = List.of(stop);
			return this;
		}

		/**
		 * Set free-form metadata entries.
		 * @param metadata the entries
		 * @return this builder
		 */
		public Builder metadata(@Nullable Map<String, String> metadata) {
			this.metadata = metadata;
			return this;
		}

		/**
		 * Set kluster.ai's options ({@code metadata["@kluster.ai"]}).
		 * @param klusterOptions the options
		 * @return this builder
		 */
		public Builder klusterOptions(@Nullable KlusterOptions klusterOptions) {
			this.klusterOptions = klusterOptions;
			return this;
		}

		/**
		 * Add a body field this type does not model. Extra fields are validated like the
		 * typed ones, so an unsupported parameter cannot slip through here.
		 * @param name the JSON field name
		 * @param value the value, serialized with Jackson
		 * @return this builder
		 */
		public Builder extraBody(String name, Object value) {
			if (this.extraBody == null) {
				this.extraBody = new LinkedHashMap<>();
			}
			this.extraBody.put(name, value);
			return this;
		}

		/**
		 * Replace all extra body fields.
		 * @param extraBody the fields, or {@code null} for none
		 * @return this builder
		 */
		public Builder extraBody(@Nullable Map<String, Object> extraBody) {
			this.extraBody = (extraBody != null) ? new LinkedHashMap<>(extraBody) : null;
			return this;
		}

		/**
		 * Set the model ({@code model}). Unset, {@code kluster.chat.model} fills it.
		 * @param model the model id, such as {@code "klusterai/Meta-Llama-3.3-70B-Instruct-Turbo"}
		 * @return this builder
		 */
		public Builder model(@Nullable String model) {
			this.model = model;
			return this;
		}

		/**
		 * Replace the conversation ({@code messages}); {@link #message(ChatMessage...)} appends instead.
		 * @param messages the messages, in order
		 * @return this builder
		 */
		public Builder messages(@Nullable List<ChatMessage> messages) {
			this.messages = messages;
			return this;
		}

		/**
		 * Set {@code frequency_penalty}.
		 * @param frequencyPenalty between -2.0 and 2.0
		 * @return this builder
		 */
		public Builder frequencyPenalty(@Nullable Double frequencyPenalty) {
			this.frequencyPenalty = frequencyPenalty;
			return this;
		}

		/**
		 * Set {@code presence_penalty}.
		 * @param presencePenalty between -2.0 and 2.0
		 * @return this builder
		 */
		public Builder presencePenalty(@Nullable Double presencePenalty) {
			this.presencePenalty = presencePenalty;
			return this;
		}

		/**
		 * Set {@code logit_bias}: how much more or less likely given tokens are.
		 * @param logitBias bias by token id, the id as a string (the tokenizer's, so model-specific), each
		 * bias between -100 and 100, for example {@code Map.of("50256", -100)}
		 * @return this builder
		 */
		public Builder logitBias(@Nullable Map<String, Integer> logitBias) {
			this.logitBias = logitBias;
			return this;
		}

		/**
		 * Set {@code logprobs}: whether the answer carries log probabilities of its tokens.
		 * @param logprobs {@code true} to ask for them
		 * @return this builder
		 */
		public Builder logprobs(@Nullable Boolean logprobs) {
			this.logprobs = logprobs;
			return this;
		}

		/**
		 * Set {@code top_logprobs}: how many most likely tokens to report at each position; needs {@code
		 * logprobs(true)}.
		 * @param topLogprobs between 0 and 20
		 * @return this builder
		 */
		public Builder topLogprobs(@Nullable Integer topLogprobs) {
			this.topLogprobs = topLogprobs;
			return this;
		}

		/**
		 * Set {@code max_completion_tokens}, the most tokens to generate.
		 * @param maxCompletionTokens at least 1
		 * @return this builder
		 */
		public Builder maxCompletionTokens(@Nullable Integer maxCompletionTokens) {
			this.maxCompletionTokens = maxCompletionTokens;
			return this;
		}

		/**
		 * Set {@code seed}, for repeatable sampling where the model supports it.
		 * @param seed any value
		 * @return this builder
		 */
		public Builder seed(@Nullable Long seed) {
			this.seed = seed;
			return this;
		}

		/**
		 * Set stop sequences ({@code stop}).
		 * @param stop up to 4 sequences
		 * @return this builder
		 */
		public Builder stop(@Nullable List<String> stop) {
			this.stop = stop;
			return this;
		}

		/**
		 * Set {@code stream}. The client sets it itself: {@code chat(...)} sends none and {@code
		 * stream(...)} sends {@code true}, whatever is set here.
		 * @param stream ignored by the client
		 * @return this builder
		 */
		public Builder stream(@Nullable Boolean stream) {
			this.stream = stream;
			return this;
		}

		/**
		 * Set {@code temperature}.
		 * @param temperature between 0 and 2
		 * @return this builder
		 */
		public Builder temperature(@Nullable Double temperature) {
			this.temperature = temperature;
			return this;
		}

		/**
		 * Set {@code top_p}, nucleus sampling.
		 * @param topP between 0 and 1
		 * @return this builder
		 */
		public Builder topP(@Nullable Double topP) {
			this.topP = topP;
			return this;
		}

		/**
		 * Set {@code user}, an id of the end user.
		 * @param user the id
		 * @return this builder
		 */
		public Builder user(@Nullable String user) {
			this.user = user;
			return this;
		}

		/**
		 * Set OpenAI's {@code store}. Not supported by kluster.ai: validation refuses it unless allowed.
		 * @param store whether to store the completion
		 * @return this builder
		 */
		public Builder store(@Nullable Boolean store) {
			this.store = store;
			return this;
		}

		/**
		 * Set OpenAI's deprecated {@code max_tokens}. Not supported by kluster.ai: validation refuses it
		 * unless allowed. Use {@link #maxCompletionTokens(Integer)}.
		 * @param maxTokens the most tokens to generate
		 * @return this builder
		 */
		public Builder maxTokens(@Nullable Integer maxTokens) {
			this.maxTokens = maxTokens;
			return this;
		}

		/**
		 * Set OpenAI's {@code n}, the number of choices. Not supported by kluster.ai: validation refuses
		 * it unless allowed.
		 * @param n the number of choices
		 * @return this builder
		 */
		public Builder n(@Nullable Integer n) {
			this.n = n;
			return this;
		}

		/**
		 * Set OpenAI's {@code modalities}. Not supported by kluster.ai: validation refuses it unless allowed.
		 * @param modalities output types, such as {@code List.of("text", "audio")}
		 * @return this builder
		 */
		public Builder modalities(@Nullable List<String> modalities) {
			this.modalities = modalities;
			return this;
		}

		/**
		 * Set OpenAI's {@code response_format}. Not supported by kluster.ai: validation refuses it unless
		 * allowed.
		 * @param responseFormat the format, such as {@link ResponseFormat#jsonObject()}
		 * @return this builder
		 */
		public Builder responseFormat(@Nullable ResponseFormat responseFormat) {
			this.responseFormat = responseFormat;
			return this;
		}

		/**
		 * Set OpenAI's {@code service_tier}. Not supported by kluster.ai: validation refuses it unless
		 * allowed.
		 * @param serviceTier the tier, such as {@code "auto"} or {@code "default"}
		 * @return this builder
		 */
		public Builder serviceTier(@Nullable String serviceTier) {
			this.serviceTier = serviceTier;
			return this;
		}

		/**
		 * Set OpenAI's {@code stream_options}. Not supported by kluster.ai: validation refuses it unless
		 * allowed. kluster.ai sends usage in a stream's last chunk without it.
		 * @param streamOptions the options as a JSON object, sent as is, for example {@code
		 * Map.of("include_usage", true)}
		 * @return this builder
		 */
		public Builder streamOptions(@Nullable Map<String, Object> streamOptions) {
			this.streamOptions = streamOptions;
			return this;
		}

		/**
		 * Set OpenAI's {@code tools}. Not supported by kluster.ai: validation refuses it unless allowed.
		 * @param tools the tools, such as {@link ToolDefinition#function(ToolDefinition.FunctionDefinition)}
		 * @return this builder
		 */
		public Builder tools(@Nullable List<ToolDefinition> tools) {
			this.tools = tools;
			return this;
		}

		/**
		 * Set OpenAI's {@code tool_choice}. Not supported by kluster.ai: validation refuses it unless
		 * allowed.
		 * @param toolChoice serialized with Jackson as is: a {@code String} ({@code "none"}, {@code
		 * "auto"} or {@code "required"}) or an object naming one function, for example {@code
		 * Map.of("type", "function", "function", Map.of("name", "current_weather"))}
		 * @return this builder
		 */
		public Builder toolChoice(@Nullable Object toolChoice) {
			this.toolChoice = toolChoice;
			return this;
		}

		/**
		 * Set OpenAI's {@code parallel_tool_calls}. Not supported by kluster.ai: validation refuses it
		 * unless allowed.
		 * @param parallelToolCalls whether the model may call several tools at once
		 * @return this builder
		 */
		public Builder parallelToolCalls(@Nullable Boolean parallelToolCalls) {
			this.parallelToolCalls = parallelToolCalls;
			return this;
		}

		/**
		 * Set OpenAI's deprecated {@code function_call}. Not supported by kluster.ai: validation refuses
		 * it unless allowed. Use {@link #toolChoice(Object)}.
		 * @param functionCall serialized with Jackson as is: a {@code String} ({@code "none"} or {@code
		 * "auto"}) or an object naming one function, for example {@code Map.of("name", "current_weather")}
		 * @return this builder
		 */
		public Builder functionCall(@Nullable Object functionCall) {
			this.functionCall = functionCall;
			return this;
		}

		/**
		 * Set OpenAI's deprecated {@code functions}. Not supported by kluster.ai: validation refuses it
		 * unless allowed. Use {@link #tools(List)}.
		 * @param functions the function definitions
		 * @return this builder
		 */
		public Builder functions(@Nullable List<ToolDefinition.FunctionDefinition> functions) {
			this.functions = functions;
			return this;
		}

		/**
		 * Set OpenAI's {@code reasoning_effort}, for reasoning models. Sent as is; whether kluster.ai
		 * honours it is up to the model.
		 * @param reasoningEffort such as {@code "low"}, {@code "medium"} or {@code "high"}
		 * @return this builder
		 */
		public Builder reasoningEffort(@Nullable String reasoningEffort) {
			this.reasoningEffort = reasoningEffort;
			return this;
		}

		/**
		 * Set OpenAI's {@code verbosity}. Sent as is; whether kluster.ai honours it is up to the model.
		 * @param verbosity such as {@code "low"}, {@code "medium"} or {@code "high"}
		 * @return this builder
		 */
		public Builder verbosity(@Nullable String verbosity) {
			this.verbosity = verbosity;
			return this;
		}

		/**
		 * Set OpenAI's {@code web_search_options}. Sent as is; whether kluster.ai honours it is up to the
		 * model.
		 * @param webSearchOptions the options as a JSON object, sent as is, for example {@code
		 * Map.of("search_context_size", "low")}
		 * @return this builder
		 */
		public Builder webSearchOptions(@Nullable Map<String, Object> webSearchOptions) {
			this.webSearchOptions = webSearchOptions;
			return this;
		}

		/**
		 * Set OpenAI's {@code audio} output parameters. Sent as is; whether kluster.ai honours it is up to
		 * the model.
		 * @param audio the parameters as a JSON object, sent as is, for example {@code Map.of("voice",
		 * "alloy", "format", "wav")}
		 * @return this builder
		 */
		public Builder audio(@Nullable Map<String, Object> audio) {
			this.audio = audio;
			return this;
		}

		/**
		 * Set OpenAI's {@code prediction} (predicted output). Sent as is; whether kluster.ai honours it is
		 * up to the model.
		 * @param prediction the prediction as a JSON object, sent as is, for example {@code Map.of("type",
		 * "content", "content", "the expected text")}
		 * @return this builder
		 */
		public Builder prediction(@Nullable Map<String, Object> prediction) {
			this.prediction = prediction;
			return this;
		}

		/**
		 * Set OpenAI's {@code safety_identifier}, a stable id of the end user. Sent as is.
		 * @param safetyIdentifier the id
		 * @return this builder
		 */
		public Builder safetyIdentifier(@Nullable String safetyIdentifier) {
			this.safetyIdentifier = safetyIdentifier;
			return this;
		}

		/**
		 * Set OpenAI's {@code prompt_cache_key}. Sent as is.
		 * @param promptCacheKey the key
		 * @return this builder
		 */
		public Builder promptCacheKey(@Nullable String promptCacheKey) {
			this.promptCacheKey = promptCacheKey;
			return this;
		}

		/**
		 * Build the request.
		 * @return the immutable request
		 */
		public ChatCompletionRequest build() {
			return new ChatCompletionRequest(this);
		}

	}

}
