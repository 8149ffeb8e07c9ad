package dev.kluster.boot.observation;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.kluster.boot.model.EmbeddingRequest;
import dev.kluster.boot.model.EmbeddingResponse;
import dev.kluster.boot.model.Usage;

/**
 * What an observation of one embedding call ({@code POST /embeddings}) knows: the request
 * as sent and the answer. It is a {@link KlusterChatObservationContext} with the operation
 * {@value #EMBEDDINGS}, so that the chat convention, meters and handlers apply to it as
 * the OpenTelemetry GenAI conventions ask: the same {@code gen_ai.client.operation.duration}
 * and {@code gen_ai.client.token.usage} meters (input tokens only), told apart by
 * {@code gen_ai.operation.name}. It has no chat request, completion or stream.
 *
 * @since 0.1.0
 */
public class KlusterEmbeddingObservationContext extends KlusterChatObservationContext {

	/** Operation name of an embedding call, as the OpenTelemetry conventions name it. */
	public static final String EMBEDDINGS = "embeddings";

	private final EmbeddingRequest embeddingRequest;

	private @Nullable EmbeddingResponse embeddingResponse;

	/**
	 * Create a context, marking now as the start of the call.
	 * @param request the request as sent
	 */
	public KlusterEmbeddingObservationContext(EmbeddingRequest request) {
		super(EMBEDDINGS, null, false);
		this.embeddingRequest = request;
	}

	/**
	 * The request as sent: with defaults applied and validated.
	 * @return the request
	 */
	public EmbeddingRequest getEmbeddingRequest() {
		return this.embeddingRequest;
	}

	/**
	 * The answer.
	 * @return the answer, or {@code null} before it arrived
	 */
	public @Nullable EmbeddingResponse getEmbeddingResponse() {
		return this.embeddingResponse;
	}

	/**
	 * Set the answer.
	 * @param response the answer
	 */
	public void setEmbeddingResponse(EmbeddingResponse response) {
		this.embeddingResponse = response;
	}

	@Override
	public @Nullable String getRequestModel() {
		return this.embeddingRequest.model();
	}

	@Override
	public @Nullable String getResponseId() {
		return null;
	}

	@Override
	public @Nullable String getResponseModel() {
		return (this.embeddingResponse != null) ? this.embeddingResponse.model() : null;
	}

	@Override
	public @Nullable Usage getUsage() {
		EmbeddingResponse.EmbeddingUsage usage = (this.embeddingResponse != null) ? this.embeddingResponse.usage()
				: null;
		return (usage != null) ? usage.toUsage() : null;
	}

	@Override
	public boolean hasOutputTokens() {
		return false;
	}

	/**
	 * Size of the vectors that came back.
	 * @return the number of dimensions of the first vector, or {@code -1} when none arrived
	 */
	public int getDimensionCount() {
		List<EmbeddingResponse.Embedding> data = (this.embeddingResponse != null) ? this.embeddingResponse.data()
				: List.of();
		return (!data.isEmpty() && data.get(0).embedding() != null) ? data.get(0).embedding().length : -1;
	}

}
