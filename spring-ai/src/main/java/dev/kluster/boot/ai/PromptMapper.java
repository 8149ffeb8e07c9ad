package dev.kluster.boot.ai;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.ContentPart;
import dev.kluster.boot.model.Role;
import dev.kluster.boot.model.ToolCall;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;

/**
 * A Spring AI {@link Prompt} as a kluster.ai {@link ChatCompletionRequest}. Only what the
 * prompt says is set: the client fills the rest from {@code kluster.chat.*} and validates
 * the whole before sending. Nothing of OpenAI's that kluster.ai refuses is added here, not
 * {@code response_format} (Spring AI's structured output puts its format instructions in
 * the prompt) and not {@code stream_options} (kluster.ai sends a stream's usage without it).
 */
final class PromptMapper {

	private static final String TOP_K = "top_k";

	private PromptMapper() {
	}

	/**
	 * The request for a prompt.
	 * @param prompt the prompt
	 * @param defaultOptions the model's options, used when the prompt has none
	 * @return the request, without {@code stream}, which the client sets
	 */
	static ChatCompletionRequest toRequest(Prompt prompt, KlusterChatOptions defaultOptions) {
		ChatOptions promptOptions = prompt.getOptions();
		// As Spring AI's own models: the prompt's options when it has some, which ChatClient
		// has already combined with the model's; else the model's.
		KlusterChatOptions options = (promptOptions != null) ? KlusterChatOptions.from(promptOptions) : defaultOptions;
		ChatCompletionRequest.Builder request = ChatCompletionRequest.builder()
			.messages(messages(prompt.getInstructions()))
			.model(options.getModel())
			.temperature(options.getTemperature())
			.topP(options.getTopP())
			.maxCompletionTokens(options.getMaxTokens())
			.frequencyPenalty(options.getFrequencyPenalty())
			.presencePenalty(options.getPresencePenalty())
			.stop(options.getStopSequences())
			.seed(options.getSeed())
			.user(options.getUser())
			.metadata(options.getMetadata())
			.klusterOptions(options.getKlusterOptions());
		if (options.getTopK() != null) {
			request.extraBody(TOP_K, options.getTopK());
		}
		return request.build();
	}

	private static List<ChatMessage> messages(List<Message> instructions) {
		List<ChatMessage> messages = new ArrayList<>(instructions.size());
		for (Message message : instructions) {
			switch (message.getMessageType()) {
				case SYSTEM -> messages.add(ChatMessage.system(text(message)));
				case USER -> messages.add(user((UserMessage) message));
				case ASSISTANT -> messages.add(assistant((AssistantMessage) message));
				case TOOL -> toolResponses((ToolResponseMessage) message, messages);
			}
		}
		return messages;
	}

	private static String text(Message message) {
		String text = message.getText();
		return (text != null) ? text : "";
	}

	private static ChatMessage user(UserMessage message) {
		if (message.getMedia().isEmpty()) {
			return ChatMessage.user(text(message));
		}
		List<ContentPart> parts = new ArrayList<>();
		parts.add(ContentPart.text(text(message)));
		for (Media media : message.getMedia()) {
			parts.add(ContentPart.imageUrl(imageUrl(media)));
		}
		return ChatMessage.builder(Role.USER).content(parts).build();
	}

	// kluster.ai's vision models read images, by URL or inline as a data URL.
	private static String imageUrl(Media media) {
		String mimeType = media.getMimeType().toString();
		if (!"image".equals(media.getMimeType().getType())) {
			throw new IllegalArgumentException("kluster.ai reads images in messages, not " + mimeType);
		}
		if (media.getData() instanceof String url) {
			return url;
		}
		return "data:" + mimeType + ";base64," + Base64.getEncoder().encodeToString(media.getDataAsByteArray());
	}

	private static ChatMessage assistant(AssistantMessage message) {
		ChatMessage.Builder builder = ChatMessage.builder(Role.ASSISTANT).content(message.getText());
		if (message.hasToolCalls()) {
			builder.toolCalls(message.getToolCalls()
				.stream()
				.map((call) -> new ToolCall(null, call.id(), call.type(),
						new ToolCall.FunctionCall(call.name(), call.arguments())))
				.toList());
		}
		return builder.build();
	}

	// One Spring AI message answers several calls; on the wire each answer is a message.
	private static void toolResponses(ToolResponseMessage message, List<ChatMessage> messages) {
		for (ToolResponseMessage.ToolResponse response : message.getResponses()) {
			messages.add(ChatMessage.builder(Role.TOOL)
				.content(response.responseData())
				.toolCallId(response.id())
				.build());
		}
	}

}
