package dev.kluster.boot.ai;

import java.util.Objects;

import reactor.core.publisher.Flux;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.model.ChatCompletion;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.StreamingChatModel;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.util.Assert;

/**
 * kluster.ai as a Spring AI {@link ChatModel} and {@link StreamingChatModel}, on a
 * {@link KlusterChatClient}: the client's defaults, validation, retries, time limits and
 * observations apply to every call. A prompt becomes one kluster.ai request (see
 * {@link KlusterChatOptions} for its options); the answer's finish reason and token usage
 * are in the response's metadata.
 * <p>
 * The client is reactive: {@link #stream(Prompt)} stays so, and {@link #call(Prompt)}
 * blocks only because Spring AI's {@code call} returns the answer itself.
 * <p>
 * Each call is observed once, by the client, as a {@code chat {model}} observation of
 * the OpenTelemetry GenAI conventions. This model does not add Spring AI's own chat model
 * observation around it, which would record the same call a second time. Spring AI's
 * {@code ChatClient} observation, when there is one, is the parent of the client's.
 *
 * @since 0.1.0
 */
public final class KlusterChatModel implements ChatModel {

	private final KlusterChatClient client;

	private final KlusterChatOptions defaultOptions;

	private KlusterChatModel(Builder builder) {
		this.client = builder.client;
		this.defaultOptions = builder.defaultOptions;
	}

	/**
	 * Start building a model on a client.
	 * @param client the kluster.ai client, such as the auto-configured one
	 * @return a new builder
	 */
	public static Builder builder(KlusterChatClient client) {
		return new Builder(client);
	}

	/**
	 * Ask for a completion, and wait for it.
	 * @param prompt the messages and, when set, the options of this call
	 * @return the answer
	 * @throws dev.kluster.boot.validation.KlusterValidationException when the request
	 * breaks kluster.ai's rules; nothing is sent then
	 * @throws dev.kluster.boot.error.KlusterException on any other failure
	 */
	@Override
	public ChatResponse call(Prompt prompt) {
		ChatCompletion completion = this.client.chat(PromptMapper.toRequest(prompt, this.defaultOptions)).block();
		return ResponseMapper.toResponse(Objects.requireNonNull(completion, "kluster.ai answered with no completion"));
	}

	/**
	 * Ask for a completion streamed as it is generated: one response per chunk, the usage
	 * in the last one. The request is made and validated when the flux is subscribed.
	 * @param prompt the messages and, when set, the options of this call
	 * @return the responses, in order
	 */
	@Override
	public Flux<ChatResponse> stream(Prompt prompt) {
		return Flux.defer(() -> this.client.stream(PromptMapper.toRequest(prompt, this.defaultOptions)))
			.map(ResponseMapper::toResponse);
	}

	/**
	 * The options of prompts that set none, and the base of those Spring AI's
	 * {@code ChatClient} combines with a request's options.
	 * @return the default options
	 */
	@Override
	public KlusterChatOptions getOptions() {
		return this.defaultOptions;
	}

	@Override
	public String toString() {
		return "KlusterChatModel[" + this.defaultOptions + "]";
	}

	/**
	 * Builder of {@link KlusterChatModel}.
	 */
	public static final class Builder {

		private final KlusterChatClient client;

		private KlusterChatOptions defaultOptions = KlusterChatOptions.builder().build();

		private Builder(KlusterChatClient client) {
			Assert.notNull(client, "client must not be null");
			this.client = client;
		}

		/**
		 * Set the options of prompts that set none. Unset, the client's defaults
		 * ({@code kluster.chat.*}) apply.
		 * @param defaultOptions the options
		 * @return this builder
		 */
		public Builder defaultOptions(KlusterChatOptions defaultOptions) {
			Assert.notNull(defaultOptions, "defaultOptions must not be null");
			this.defaultOptions = defaultOptions;
			return this;
		}

		/**
		 * Build the model.
		 * @return the model
		 */
		public KlusterChatModel build() {
			return new KlusterChatModel(this);
		}

	}

}
