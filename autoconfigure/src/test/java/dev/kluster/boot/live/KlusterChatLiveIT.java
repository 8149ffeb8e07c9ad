package dev.kluster.boot.live;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kluster.boot.autoconfigure.KlusterProperties;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionChunk;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.KlusterModel;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's real-time calls against kluster.ai itself: a chat, a stream and the
 * models, each read by the starter's own types, so that a change of kluster.ai's answers
 * that the model types cannot read shows here first.
 */
@ExtendWith(KlusterApiKeyCondition.class)
class KlusterChatLiveIT {

	private static final ChatCompletionRequest PING = ChatCompletionRequest.builder()
		.message(ChatMessage.user("Reply with the single word: pong"))
		.maxCompletionTokens(16)
		.build();

	@Test
	void chatAnswersWithTextUsageAndFinishReason() {
		LiveKluster.run((context) -> {
			ChatCompletion completion = context.getBean(KlusterChatClient.class).chat(PING).block(LiveKluster.TIMEOUT);
			assertThat(completion).isNotNull();
			assertThat(completion.text()).isNotBlank();
			assertThat(completion.finishReason()).isNotBlank();
			assertThat(completion.usage()).isNotNull();
			assertThat(completion.usage().completionTokens()).isPositive();
		});
	}

	@Test
	void streamEndsAfterTheLastChunkWithTheWholeText() {
		LiveKluster.run((context) -> {
			List<ChatCompletionChunk> chunks = context.getBean(KlusterChatClient.class)
				.stream(PING)
				.collectList()
				.block(LiveKluster.TIMEOUT);
			assertThat(chunks).isNotEmpty();
			assertThat(chunks.stream().map(ChatCompletionChunk::text).reduce("", String::concat)).isNotBlank();
			assertThat(chunks).anySatisfy((chunk) -> assertThat(chunk.choices())
				.anySatisfy((choice) -> assertThat(choice.finishReason()).isNotBlank()));
		});
	}

	@Test
	void modelsListTheModelTheStarterAsksByDefault() {
		LiveKluster.run((context) -> {
			List<KlusterModel> models = context.getBean(KlusterChatClient.class)
				.models()
				.collectList()
				.block(LiveKluster.TIMEOUT);
			String configured = context.getBean(KlusterProperties.class).getChat().getModel();
			assertThat(models).extracting(KlusterModel::id).contains(configured);
		});
	}

}
