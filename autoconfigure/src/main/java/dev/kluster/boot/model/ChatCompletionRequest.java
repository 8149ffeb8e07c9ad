package dev.kluster.boot.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * Instances are immutable: built with {@link #builder()}, lists and maps are unmodifiable
 * copies. {@link #toBuilder()} starts a modified copy.
 *
 * @param model model id, for example {@code klusterai/Meta-Llama-3.1-8B-Instruct-Turbo}
 * @param messages the conversation so far
 * @param frequencyPenalty penalty for frequent tokens, -2 to 2
 * @param presencePenalty penalty for tokens already present, -2 to 2
 * @param logitBias bias per token id, -100 to 100
 * @param logprobs whether to return log probabilities of the output tokens
 * @param topLogprobs number of most likely tokens to return per position, 0 to 20; needs {@code logprobs}
 * @param maxCompletionTokens upper bound of generated tokens
 * @param seed seed for best-effort deterministic sampling
 * @param stop up to 4 sequences where generation stops
 * @param stream whether to stream the answer as server-sent events; set by the client
 * @param temperature sampling temperature, 0 to 2
 * @param topP nucleus sampling probability mass, 0 to 1
 * @param user end-user identifier
 * @param store OpenAI only: not supported by kluster.ai
 * @param maxTokens OpenAI's deprecated token limit: not supported by kluster.ai, use {@code max_completion_tokens}
 * @param n OpenAI only: number of choices; not supported by kluster.ai
 * @param modalities OpenAI only: output modalities; not supported by kluster.ai
 * @param responseFormat OpenAI only: output format; not supported by kluster.ai
 * @param serviceTier OpenAI only: service tier; not supported by kluster.ai
 * @param streamOptions OpenAI only: stream options; not supported by kluster.ai
 * @param tools tools the model may call; not supported by kluster.ai's compatibility page
 * @param toolChoice which tool to call: {@code none}, {@code auto}, {@code required} or an object
 * @param parallelToolCalls whether tools may be called in parallel
 * @param functionCall OpenAI's deprecated function call control: not supported by kluster.ai
 * @param functions OpenAI's deprecated functions: not supported by kluster.ai
 * @param reasoningEffort OpenAI reasoning effort
 * @param verbosity OpenAI verbosity
 * @param webSearchOptions OpenAI web search options
 * @param audio OpenAI audio output options
 * @param prediction OpenAI predicted output
 * @param safetyIdentifier OpenAI safety identifier
 * @param promptCacheKey OpenAI prompt cache key
 * @param metadata free-form metadata entries, without the kluster.ai options
 * @param klusterOptions kluster.ai options, sent as {@code metadata["@kluster.ai"]}
 * @param extraBody body fields this type does not model, sent as they are; never {@code null}
 * @since 0.1.0
 */
// A field is one record component (its wire name in @JsonProperty, its description in
// @param) and one setter of the Builder below. The record writes the accessors, equals and
// hashCode; the RecordBuilder annotation processor writes, at compile time only, the
// builder's state, build() and the copy of toBuilder(), the places where a field added by
// hand was easily forgotten. The public Builder stays a hand-written facade over it so that
// callers keep ChatCompletionRequest.Builder and its conveniences (message(...), stop(...),
// extraBody(name, value)), which a generated builder cannot carry.
@GeneratedBuilder
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonAutoDetect(getterVisibility = JsonAutoDetect.Visibility.NONE,
		isGetterVisibility = JsonAutoDetect.Visibility.NONE, fieldVisibility = JsonAutoDetect.Visibility.NONE)
@JsonPropertyOrder({ "model", "messages" })
public record ChatCompletionRequest(
		@JsonProperty("model") @Nullable String model,
		@JsonProperty("messages") @Nullable List<ChatMessage> messages,
		@JsonProperty("frequency_penalty") @Nullable Double frequencyPenalty,
		@JsonProperty("presence_penalty") @Nullable Double presencePenalty,
		@JsonProperty("logit_bias") @Nullable Map<String, Integer> logitBias,
		@JsonProperty("logprobs") @Nullable Boolean logprobs,
		@JsonProperty("top_logprobs") @Nullable Integer topLogprobs,
		@JsonProperty("max_completion_tokens") @Nullable Integer maxCompletionTokens,
		@JsonProperty("seed") @Nullable Long seed,
		@JsonProperty("stop") @Nullable List<String> stop,
		@JsonProperty("stream") @Nullable Boolean stream,
		@JsonProperty("temperature") @Nullable Double temperature,
		@JsonProperty("top_p") @Nullable Double topP,
		@JsonProperty("user") @Nullable String user,
		@JsonProperty("store") @Nullable Boolean store,
		@JsonProperty("max_tokens") @Nullable Integer maxTokens,
		@JsonProperty("n") @Nullable Integer n,
		@JsonProperty("modalities") @Nullable List<String> modalities,
		@JsonProperty("response_format") @Nullable ResponseFormat responseFormat,
		@JsonProperty("service_tier") @Nullable String serviceTier,
		@JsonProperty("stream_options") @Nullable Map<String, Object> streamOptions,
		@JsonProperty("tools") @Nullable List<ToolDefinition> tools,
		@JsonProperty("tool_choice") @Nullable Object toolChoice,
		@JsonProperty("parallel_tool_calls") @Nullable Boolean parallelToolCalls,
		@JsonProperty("function_call") @Nullable Object functionCall,
		@JsonProperty("functions") @Nullable List<ToolDefinition.FunctionDefinition> functions,
		@JsonProperty("reasoning_effort") @Nullable String reasoningEffort,
		@JsonProperty("verbosity") @Nullable String verbosity,
		@JsonProperty("web_search_options") @Nullable Map<String, Object> webSearchOptions,
		@JsonProperty("audio") @Nullable Map<String, Object> audio,
		@JsonProperty("prediction") @Nullable Map<String, Object> prediction,
		@JsonProperty("safety_identifier") @Nullable String safetyIdentifier,
		@JsonProperty("prompt_cache_key") @Nullable String promptCacheKey,
		@Nullable Map<String, String> metadata,
		@Nullable KlusterOptions klusterOptions,
		Map<String, Object> extraBody) {

	/**
	 * Create a request; prefer {@link #builder()}.
	 */
	public ChatCompletionRequest {
		// The builder leaves it null when no extra field was set.
		extraBody = (extraBody != null) ? Map.copyOf(extraBody) : Map.of();
	}

	/**
	 * Start building a request.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder(ChatCompletionRequestBuilder.builder());
	}

	/**
	 * A builder that starts from this request.
	 * @return a new builder with this request's values
	 */
	public Builder toBuilder() {
		return new Builder(ChatCompletionRequestBuilder.builder(this));
	}

	/**
	 * Metadata as it goes on the wire: the free-form entries and the kluster.ai options.
	 * @return the metadata object, or {@code null} when there is none
	 */
	@JsonProperty("metadata")
	public @Nullable Map<String, Object> wireMetadata() {
		if (this.klusterOptions == null) {
			return (this.metadata != null) ? Collections.unmodifiableMap(this.metadata) : null;
		}
		Map<String, Object> wire = new LinkedHashMap<>();
		if (this.metadata != null) {
			wire.putAll(this.metadata);
		}
		wire.put(KlusterOptions.METADATA_KEY, this.klusterOptions);
		return Collections.unmodifiableMap(wire);
	}

	/**
	 * Body fields this type does not model, sent as they are.
	 * @return the extra fields, never {@code null}
	 */
	@Override
	@JsonAnyGetter
	public Map<String, Object> extraBody() {
		return this.extraBody;
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

		private final ChatCompletionRequestBuilder fields;

		private Builder(ChatCompletionRequestBuilder fields) {
			this.fields = fields;
		}

		/**
		 * Append messages to the conversation.
		 * @param messages the messages to add
		 * @return this builder
		 */
		public Builder message(ChatMessage... messages) {
			List<ChatMessage> all = new ArrayList<>();
			List<ChatMessage> current = this.fields.messages();
			if (current != null) {
				all.addAll(current);
			}
			all.addAll(List.of(messages));
			this.fields.messages(all);
			return this;
		}

		/**
		 * Set stop sequences.
		 * @param stop up to 4 sequences
		 * @return this builder
		 */
		public Builder stop(String... stop) {
			this.fields.stop(List.of(stop));
			return this;
		}

		/**
		 * Set free-form metadata entries.
		 * @param metadata the entries
		 * @return this builder
		 */
		public Builder metadata(@Nullable Map<String, String> metadata) {
			this.fields.metadata(metadata);
			return this;
		}

		/**
		 * Set kluster.ai's options ({@code metadata["@kluster.ai"]}).
		 * @param klusterOptions the options
		 * @return this builder
		 */
		public Builder klusterOptions(@Nullable KlusterOptions klusterOptions) {
			this.fields.klusterOptions(klusterOptions);
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
			this.fields.extraBody(ExtraBody.with(this.fields.extraBody(), name, value));
			return this;
		}

		/**
		 * Replace all extra body fields.
		 * @param extraBody the fields, or {@code null} for none
		 * @return this builder
		 */
		public Builder extraBody(@Nullable Map<String, Object> extraBody) {
			this.fields.extraBody(extraBody);
			return this;
		}

		/**
		 * Set the model ({@code model}). Unset, {@code kluster.chat.model} fills it.
		 * @param model the model id, such as {@code "klusterai/Meta-Llama-3.3-70B-Instruct-Turbo"}
		 * @return this builder
		 */
		public Builder model(@Nullable String model) {
			this.fields.model(model);
			return this;
		}

		/**
		 * Replace the conversation ({@code messages}); {@link #message(ChatMessage...)} appends instead.
		 * @param messages the messages, in order
		 * @return this builder
		 */
		public Builder messages(@Nullable List<ChatMessage> messages) {
			this.fields.messages(messages);
			return this;
		}

		/**
		 * Set {@code frequency_penalty}.
		 * @param frequencyPenalty between -2.0 and 2.0
		 * @return this builder
		 */
		public Builder frequencyPenalty(@Nullable Double frequencyPenalty) {
			this.fields.frequencyPenalty(frequencyPenalty);
			return this;
		}

		/**
		 * Set {@code presence_penalty}.
		 * @param presencePenalty between -2.0 and 2.0
		 * @return this builder
		 */
		public Builder presencePenalty(@Nullable Double presencePenalty) {
			this.fields.presencePenalty(presencePenalty);
			return this;
		}

		/**
		 * Set {@code logit_bias}: how much more or less likely given tokens are.
		 * @param logitBias bias by token id, the id as a string (the tokenizer's, so model-specific), each
		 * bias between -100 and 100, for example {@code Map.of("50256", -100)}
		 * @return this builder
		 */
		public Builder logitBias(@Nullable Map<String, Integer> logitBias) {
			this.fields.logitBias(logitBias);
			return this;
		}

		/**
		 * Set {@code logprobs}: whether the answer carries log probabilities of its tokens.
		 * @param logprobs {@code true} to ask for them
		 * @return this builder
		 */
		public Builder logprobs(@Nullable Boolean logprobs) {
			this.fields.logprobs(logprobs);
			return this;
		}

		/**
		 * Set {@code top_logprobs}: how many most likely tokens to report at each position; needs {@code
		 * logprobs(true)}.
		 * @param topLogprobs between 0 and 20
		 * @return this builder
		 */
		public Builder topLogprobs(@Nullable Integer topLogprobs) {
			this.fields.topLogprobs(topLogprobs);
			return this;
		}

		/**
		 * Set {@code max_completion_tokens}, the most tokens to generate.
		 * @param maxCompletionTokens at least 1
		 * @return this builder
		 */
		public Builder maxCompletionTokens(@Nullable Integer maxCompletionTokens) {
			this.fields.maxCompletionTokens(maxCompletionTokens);
			return this;
		}

		/**
		 * Set {@code seed}, for repeatable sampling where the model supports it.
		 * @param seed any value
		 * @return this builder
		 */
		public Builder seed(@Nullable Long seed) {
			this.fields.seed(seed);
			return this;
		}

		/**
		 * Set stop sequences ({@code stop}).
		 * @param stop up to 4 sequences
		 * @return this builder
		 */
		public Builder stop(@Nullable List<String> stop) {
			this.fields.stop(stop);
			return this;
		}

		/**
		 * Set {@code stream}. The client sets it itself: {@code chat(...)} sends none and {@code
		 * stream(...)} sends {@code true}, whatever is set here.
		 * @param stream ignored by the client
		 * @return this builder
		 */
		public Builder stream(@Nullable Boolean stream) {
			this.fields.stream(stream);
			return this;
		}

		/**
		 * Set {@code temperature}.
		 * @param temperature between 0 and 2
		 * @return this builder
		 */
		public Builder temperature(@Nullable Double temperature) {
			this.fields.temperature(temperature);
			return this;
		}

		/**
		 * Set {@code top_p}, nucleus sampling.
		 * @param topP between 0 and 1
		 * @return this builder
		 */
		public Builder topP(@Nullable Double topP) {
			this.fields.topP(topP);
			return this;
		}

		/**
		 * Set {@code user}, an id of the end user.
		 * @param user the id
		 * @return this builder
		 */
		public Builder user(@Nullable String user) {
			this.fields.user(user);
			return this;
		}

		/**
		 * Set OpenAI's {@code store}. Not supported by kluster.ai: validation refuses it unless allowed.
		 * @param store whether to store the completion
		 * @return this builder
		 */
		public Builder store(@Nullable Boolean store) {
			this.fields.store(store);
			return this;
		}

		/**
		 * Set OpenAI's deprecated {@code max_tokens}. Not supported by kluster.ai: validation refuses it
		 * unless allowed. Use {@link #maxCompletionTokens(Integer)}.
		 * @param maxTokens the most tokens to generate
		 * @return this builder
		 */
		public Builder maxTokens(@Nullable Integer maxTokens) {
			this.fields.maxTokens(maxTokens);
			return this;
		}

		/**
		 * Set OpenAI's {@code n}, the number of choices. Not supported by kluster.ai: validation refuses
		 * it unless allowed.
		 * @param n the number of choices
		 * @return this builder
		 */
		public Builder n(@Nullable Integer n) {
			this.fields.n(n);
			return this;
		}

		/**
		 * Set OpenAI's {@code modalities}. Not supported by kluster.ai: validation refuses it unless allowed.
		 * @param modalities output types, such as {@code List.of("text", "audio")}
		 * @return this builder
		 */
		public Builder modalities(@Nullable List<String> modalities) {
			this.fields.modalities(modalities);
			return this;
		}

		/**
		 * Set OpenAI's {@code response_format}. Not supported by kluster.ai: validation refuses it unless
		 * allowed.
		 * @param responseFormat the format, such as {@link ResponseFormat#jsonObject()}
		 * @return this builder
		 */
		public Builder responseFormat(@Nullable ResponseFormat responseFormat) {
			this.fields.responseFormat(responseFormat);
			return this;
		}

		/**
		 * Set OpenAI's {@code service_tier}. Not supported by kluster.ai: validation refuses it unless
		 * allowed.
		 * @param serviceTier the tier, such as {@code "auto"} or {@code "default"}
		 * @return this builder
		 */
		public Builder serviceTier(@Nullable String serviceTier) {
			this.fields.serviceTier(serviceTier);
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
			this.fields.streamOptions(streamOptions);
			return this;
		}

		/**
		 * Set OpenAI's {@code tools}. Not supported by kluster.ai: validation refuses it unless allowed.
		 * @param tools the tools, such as {@link ToolDefinition#function(ToolDefinition.FunctionDefinition)}
		 * @return this builder
		 */
		public Builder tools(@Nullable List<ToolDefinition> tools) {
			this.fields.tools(tools);
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
			this.fields.toolChoice(toolChoice);
			return this;
		}

		/**
		 * Set OpenAI's {@code parallel_tool_calls}. Not supported by kluster.ai: validation refuses it
		 * unless allowed.
		 * @param parallelToolCalls whether the model may call several tools at once
		 * @return this builder
		 */
		public Builder parallelToolCalls(@Nullable Boolean parallelToolCalls) {
			this.fields.parallelToolCalls(parallelToolCalls);
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
			this.fields.functionCall(functionCall);
			return this;
		}

		/**
		 * Set OpenAI's deprecated {@code functions}. Not supported by kluster.ai: validation refuses it
		 * unless allowed. Use {@link #tools(List)}.
		 * @param functions the function definitions
		 * @return this builder
		 */
		public Builder functions(@Nullable List<ToolDefinition.FunctionDefinition> functions) {
			this.fields.functions(functions);
			return this;
		}

		/**
		 * Set OpenAI's {@code reasoning_effort}, for reasoning models. Sent as is; whether kluster.ai
		 * honours it is up to the model.
		 * @param reasoningEffort such as {@code "low"}, {@code "medium"} or {@code "high"}
		 * @return this builder
		 */
		public Builder reasoningEffort(@Nullable String reasoningEffort) {
			this.fields.reasoningEffort(reasoningEffort);
			return this;
		}

		/**
		 * Set OpenAI's {@code verbosity}. Sent as is; whether kluster.ai honours it is up to the model.
		 * @param verbosity such as {@code "low"}, {@code "medium"} or {@code "high"}
		 * @return this builder
		 */
		public Builder verbosity(@Nullable String verbosity) {
			this.fields.verbosity(verbosity);
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
			this.fields.webSearchOptions(webSearchOptions);
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
			this.fields.audio(audio);
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
			this.fields.prediction(prediction);
			return this;
		}

		/**
		 * Set OpenAI's {@code safety_identifier}, a stable id of the end user. Sent as is.
		 * @param safetyIdentifier the id
		 * @return this builder
		 */
		public Builder safetyIdentifier(@Nullable String safetyIdentifier) {
			this.fields.safetyIdentifier(safetyIdentifier);
			return this;
		}

		/**
		 * Set OpenAI's {@code prompt_cache_key}. Sent as is.
		 * @param promptCacheKey the key
		 * @return this builder
		 */
		public Builder promptCacheKey(@Nullable String promptCacheKey) {
			this.fields.promptCacheKey(promptCacheKey);
			return this;
		}

		/**
		 * Build the request.
		 * @return the immutable request
		 */
		public ChatCompletionRequest build() {
			return this.fields.build();
		}

	}

}
