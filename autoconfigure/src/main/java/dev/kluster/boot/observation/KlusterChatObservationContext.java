package dev.kluster.boot.observation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import io.micrometer.common.KeyValue;
import org.jspecify.annotations.Nullable;

import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionChunk;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.Usage;

/**
 * What an observation of one kluster.ai client call knows: the operation, the request as
 * sent, the server, and what came back. For a streamed chat the chunks are not kept; the
 * context keeps the timings, the response id and model, the finish reasons and the usage
 * of the last chunk that carried one, and the text only when content recording is on.
 * <p>
 * It is a {@link io.micrometer.observation.transport.SenderContext SenderContext} so that tracing bridges create a {@code CLIENT} span, as
 * the OpenTelemetry GenAI conventions ask for. It has no carrier: the trace headers are
 * written by the HTTP exchange observation of {@code WebClient}, which runs as a child of
 * this one.
 *
 * @since 0.1.0
 */
public class KlusterChatObservationContext extends KlusterObservationContext {

	/** Operation name of a chat completion, streamed or not. */
	public static final String CHAT = "chat";

	/**
	 * Operation name of {@code GET /models}. The OpenTelemetry conventions define no value
	 * for listing models, and allow a custom one.
	 */
	public static final String LIST_MODELS = "list_models";

	private final String operationName;

	private final boolean streaming;

	private final long startNanos;

	private final @Nullable ChatCompletionRequest request;

	private boolean contentRecorded;

	private @Nullable ChatCompletion response;

	private boolean cancelled;

	private int attempts = 1;

	// The request's key values, made once by the convention that asked first.
	private @Nullable Object requestKeyValuesOwner;

	private @Nullable List<KeyValue> requestKeyValues;

	// What the meter handler noted at the start, in a field rather than in the context's
	// map, which would otherwise be made for it alone on every call.
	private @Nullable Object meterStart;

	// What a stream has shown so far. The fields are written by the thread that delivers
	// the chunks and read once when the observation stops; a cancel racing with the last
	// chunk may miss that chunk, which costs a metric sample rather than a lock per chunk.

	private int chunkCount;

	private long firstChunkNanos;

	private @Nullable String streamedId;

	private @Nullable String streamedModel;

	private @Nullable Usage streamedUsage;

	private @Nullable String @Nullable [] streamedFinishReasons;

	private @Nullable StringBuilder @Nullable [] streamedText;

	/**
	 * Create a context, marking now as the start of the call.
	 * @param operationName the operation, {@link #CHAT}, {@link #LIST_MODELS} or
	 * {@link KlusterEmbeddingObservationContext#EMBEDDINGS}
	 * @param request the request as sent, or {@code null} when the operation has none
	 * @param streaming whether the answer is streamed
	 */
	public KlusterChatObservationContext(String operationName, @Nullable ChatCompletionRequest request,
			boolean streaming) {
		this.operationName = operationName;
		this.request = request;
		this.streaming = streaming;
		this.startNanos = System.nanoTime();
	}

	/**
	 * The operation, the value of {@code gen_ai.operation.name}.
	 * @return the operation name
	 */
	public String getOperationName() {
		return this.operationName;
	}

	/**
	 * The request as sent: with defaults applied and validated (which may have dropped
	 * parameters).
	 * @return the request, or {@code null} for an operation without one
	 */
	public @Nullable ChatCompletionRequest getRequest() {
		return this.request;
	}

	/**
	 * The model the request names.
	 * @return the model, or {@code null} for an operation without one
	 */
	public @Nullable String getRequestModel() {
		return (this.request != null) ? this.request.model() : null;
	}

	/**
	 * Whether the operation generates tokens, which {@code gen_ai.client.token.usage}
	 * then records as {@code output}: not for embeddings.
	 * @return whether output tokens are recorded
	 */
	public boolean hasOutputTokens() {
		return true;
	}

	/**
	 * Whether the answer is streamed as server-sent events.
	 * @return whether the call is a stream
	 */
	public boolean isStreaming() {
		return this.streaming;
	}

	/**
	 * Whether prompts and completions may be recorded on the span.
	 * @return whether content is recorded
	 */
	public boolean isContentRecorded() {
		return this.contentRecorded;
	}

	/**
	 * Set whether prompts and completions may be recorded on the span.
	 * @param contentRecorded whether content is recorded
	 */
	public void setContentRecorded(boolean contentRecorded) {
		this.contentRecorded = contentRecorded;
	}

	/**
	 * The completion of a call that is not streamed.
	 * @return the completion, or {@code null} before it arrived and for streams
	 */
	public @Nullable ChatCompletion getResponse() {
		return this.response;
	}

	/**
	 * Set the completion of a call that is not streamed.
	 * @param response the completion
	 */
	public void setResponse(ChatCompletion response) {
		this.response = response;
	}

	/**
	 * Whether the subscriber cancelled the call before it ended. A cancelled call is not an
	 * error.
	 * @return whether the call was cancelled
	 */
	public boolean isCancelled() {
		return this.cancelled;
	}

	/**
	 * Mark the call as cancelled by its subscriber.
	 */
	public void setCancelled() {
		this.cancelled = true;
	}

	/**
	 * How many times the request was sent: 1 unless it was retried.
	 * @return the number of attempts so far, at least 1
	 */
	public int getAttempts() {
		return this.attempts;
	}

	/**
	 * Record that the request is about to be sent again.
	 * @param attempts the number of attempts including the one about to start
	 */
	public void setAttempts(int attempts) {
		this.attempts = attempts;
	}

	@Nullable List<KeyValue> getRequestKeyValues(Object convention) {
		return (this.requestKeyValuesOwner == convention) ? this.requestKeyValues : null;
	}

	void setRequestKeyValues(Object convention, List<KeyValue> keyValues) {
		this.requestKeyValuesOwner = convention;
		this.requestKeyValues = keyValues;
	}

	@Nullable Object getMeterStart() {
		return this.meterStart;
	}

	void setMeterStart(Object meterStart) {
		this.meterStart = meterStart;
	}

	/**
	 * Take note of a chunk of a stream. Called for every chunk, so it allocates nothing
	 * unless content recording is on.
	 * @param chunk the chunk
	 */
	public void onChunk(ChatCompletionChunk chunk) {
		if (this.chunkCount++ == 0) {
			this.firstChunkNanos = System.nanoTime();
		}
		if (this.streamedId == null) {
			this.streamedId = chunk.id();
		}
		if (this.streamedModel == null) {
			this.streamedModel = chunk.model();
		}
		Usage usage = chunk.usage();
		if (usage != null) {
			this.streamedUsage = usage;
		}
		List<ChatCompletionChunk.Choice> choices = chunk.choices();
		for (int i = 0; i < choices.size(); i++) {
			ChatCompletionChunk.Choice choice = choices.get(i);
			if (choice.finishReason() != null) {
				this.streamedFinishReasons = put(this.streamedFinishReasons, choice.index(), choice.finishReason());
			}
			if (this.contentRecorded && choice.delta() != null && choice.delta().content() != null) {
				appendText(choice.index(), choice.delta().content());
			}
		}
	}

	private void appendText(int index, String text) {
		if (index < 0) {
			return;
		}
		StringBuilder[] texts = this.streamedText;
		if (texts == null || index >= texts.length) {
			texts = Arrays.copyOf((texts != null) ? texts : new StringBuilder[0], index + 1);
			this.streamedText = texts;
		}
		StringBuilder builder = texts[index];
		if (builder == null) {
			builder = new StringBuilder();
			texts[index] = builder;
		}
		builder.append(text);
	}

	private static @Nullable String @Nullable [] put(@Nullable String @Nullable [] values, int index, String value) {
		if (index < 0) {
			return values;
		}
		String[] result = (values == null || index >= values.length)
				? Arrays.copyOf((values != null) ? values : new String[0], index + 1) : values;
		result[index] = value;
		return result;
	}

	/**
	 * Id of the completion.
	 * @return the id, or {@code null} when none arrived
	 */
	public @Nullable String getResponseId() {
		return (this.response != null) ? this.response.id() : this.streamedId;
	}

	/**
	 * Model that answered.
	 * @return the model, or {@code null} when no answer arrived
	 */
	public @Nullable String getResponseModel() {
		return (this.response != null) ? this.response.model() : this.streamedModel;
	}

	/**
	 * Token usage as kluster.ai reported it: in the completion, or in a stream's chunk.
	 * @return the usage, or {@code null} when kluster.ai sent none
	 */
	public @Nullable Usage getUsage() {
		return (this.response != null) ? this.response.usage() : this.streamedUsage;
	}

	/**
	 * Why generation stopped, for each choice that reported it, in choice order.
	 * @return the finish reasons, possibly empty
	 */
	public List<String> getFinishReasons() {
		if (this.response != null) {
			List<String> reasons = new ArrayList<>();
			for (ChatCompletion.Choice choice : this.response.choices()) {
				if (choice.finishReason() != null) {
					reasons.add(choice.finishReason());
				}
			}
			return reasons;
		}
		String[] streamed = this.streamedFinishReasons;
		if (streamed == null) {
			return Collections.emptyList();
		}
		List<String> reasons = new ArrayList<>(streamed.length);
		for (String reason : streamed) {
			if (reason != null) {
				reasons.add(reason);
			}
		}
		return reasons;
	}

	/**
	 * The text a stream delivered for a choice, when content recording is on.
	 * @param index the choice index
	 * @return the text, or {@code null} when none was recorded
	 */
	public @Nullable String getStreamedText(int index) {
		StringBuilder[] texts = this.streamedText;
		return (texts != null && index < texts.length && texts[index] != null) ? texts[index].toString() : null;
	}

	/**
	 * The finish reason a stream reported for a choice.
	 * @param index the choice index
	 * @return the reason, or {@code null} when none arrived
	 */
	public @Nullable String getStreamedFinishReason(int index) {
		String[] reasons = this.streamedFinishReasons;
		return (reasons != null && index < reasons.length) ? reasons[index] : null;
	}

	/**
	 * How many choices a stream delivered text or a finish reason for.
	 * @return the number of choices seen
	 */
	public int getStreamedChoiceCount() {
		int texts = (this.streamedText != null) ? this.streamedText.length : 0;
		int reasons = (this.streamedFinishReasons != null) ? this.streamedFinishReasons.length : 0;
		return Math.max(texts, reasons);
	}

	/**
	 * Number of chunks a stream delivered.
	 * @return the chunk count
	 */
	public int getChunkCount() {
		return this.chunkCount;
	}

	/**
	 * Time from the start of the call to the first chunk of a stream.
	 * @return the time, or {@code null} when no chunk arrived
	 */
	public @Nullable Duration getTimeToFirstChunk() {
		return (this.chunkCount > 0) ? Duration.ofNanos(this.firstChunkNanos - this.startNanos) : null;
	}

}
