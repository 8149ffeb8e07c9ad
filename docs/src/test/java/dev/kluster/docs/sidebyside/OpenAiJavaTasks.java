package dev.kluster.docs.sidebyside;

import java.util.Optional;
import java.util.function.Consumer;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.CompletionUsage;

/**
 * The tasks of {@link KlusterTasks} with openai-java, written as its README shows them,
 * and run against the stand-in by {@link SideBySideTests}.
 */
class OpenAiJavaTasks {

	private final OpenAIClient client;

	OpenAiJavaTasks(OpenAIClient client) {
		this.client = client;
	}

	String ask(String question) {
		// tag::openai-java-ask[]
		ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
			.model("klusterai/Meta-Llama-3.1-8B-Instruct-Turbo")
			.addUserMessage(question)
			.build();
		String answer = client.chat().completions().create(params).choices().get(0).message().content().orElse("");
		// end::openai-java-ask[]
		return answer;
	}

	ChatCompletion request(String text) {
		// tag::openai-java-request[]
		ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
			.model("klusterai/Meta-Llama-3.3-70B-Instruct-Turbo")
			.addSystemMessage("Summarize in three sentences.")
			.addUserMessage(text)
			.temperature(0.2)
			.maxCompletionTokens(300)
			.build();
		ChatCompletion completion = client.chat().completions().create(params);
		// end::openai-java-request[]
		return completion;
	}

	ChatCompletionCreateParams multiTurn(ChatCompletionCreateParams params, String next) {
		// tag::openai-java-multi-turn[]
		ChatCompletion completion = client.chat().completions().create(params);
		ChatCompletionCreateParams followUp = params.toBuilder()
			.addMessage(completion.choices().get(0).message())
			.addUserMessage(next)
			.build();
		// end::openai-java-multi-turn[]
		return followUp;
	}

	String finishAndUsage(ChatCompletion completion) {
		// tag::openai-java-finish-usage[]
		ChatCompletion.Choice.FinishReason finishReason = completion.choices().get(0).finishReason();
		Optional<CompletionUsage> usage = completion.usage();
		// end::openai-java-finish-usage[]
		return finishReason.asString() + " " + usage.orElseThrow().totalTokens();
	}

	void stream(ChatCompletionCreateParams params, Consumer<String> onText) {
		// tag::openai-java-stream[]
		try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
			stream.stream()
				.flatMap(chunk -> chunk.choices().stream())
				.flatMap(choice -> choice.delta().content().stream())
				.forEach(onText);
		}
		// end::openai-java-stream[]
	}

}
