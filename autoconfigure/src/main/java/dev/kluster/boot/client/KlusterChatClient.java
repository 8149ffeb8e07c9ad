package dev.kluster.boot.client;

import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionChunk;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.KlusterModel;
import dev.kluster.boot.model.QueuedChatCompletion;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import dev.kluster.boot.error.KlusterException;

/**
 * Reactive client of kluster.ai's OpenAI-compatible chat API. Nothing is sent until the
 * returned publisher is subscribed; a request that breaks kluster.ai's rules fails with
 * {@link dev.kluster.boot.validation.KlusterValidationException} without being sent, and
 * every other failure is a {@link KlusterException}.
 *
 * @since 0.1.0
 */
public interface KlusterChatClient {

	/**
	 * Ask for a completion.
	 * @param request the request; unset values are filled from the configured defaults
	 * @return the completion
	 */
	Mono<ChatCompletion> chat(ChatCompletionRequest request);

	/**
	 * Ask for a completion streamed as server-sent events. The flux completes at
	 * {@code data: [DONE]}, without waiting for the end of the response body, and ignores
	 * whatever follows; the last chunk carries the usage when the server sends it.
	 * @param request the request; {@code stream} is set by the client
	 * @return the chunks, in order
	 */
	Flux<ChatCompletionChunk> stream(ChatCompletionRequest request);

	/**
	 * Ask for a completion streamed as server-sent events, and receive only its text: the
	 * pieces the first choice adds, in order, without empty pieces (such as the role-only
	 * first chunk and the usage-only last one).
	 * @param request the request; {@code stream} is set by the client
	 * @return the pieces of text, in order
	 */
	default Flux<String> streamText(ChatCompletionRequest request) {
		return stream(request).map(ChatCompletionChunk::text).filter((text) -> !text.isEmpty());
	}

	/**
	 * Ask the default model a single question.
	 * @param prompt the user message
	 * @return the answer's text
	 */
	Mono<String> chat(String prompt);

	/**
	 * Ask the default model a single question and receive the answer as it is generated.
	 * @param prompt the user message
	 * @return the pieces of text, in order, without empty pieces
	 */
	Flux<String> stream(String prompt);

	/**
	 * List the models the account can use ({@code GET /models}).
	 * @return the models
	 */
	Flux<KlusterModel> models();

	/**
	 * Queue a chat completion as a job ({@code metadata["@kluster.ai"].async = true})
	 * rather than wait for its answer. kluster.ai answers at once with a placeholder that
	 * says the request was queued; this returns a handle to the job instead of passing the
	 * placeholder off as an answer. The request's other kluster.ai options (completion
	 * window, callback URL) are kept; {@code stream} is not used. The request is validated
	 * and observed as a chat call; it is sent once, never retried, so that a job is not
	 * queued twice.
	 * @param request the request; unset values are filled from the chat defaults
	 * @return the queued job
	 */
	Mono<QueuedChatCompletion> submitAsync(ChatCompletionRequest request);

}
