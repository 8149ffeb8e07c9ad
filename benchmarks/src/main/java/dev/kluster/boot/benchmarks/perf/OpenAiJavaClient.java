package dev.kluster.boot.benchmarks.perf;

import java.util.HashMap;
import java.util.Map;

import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

/**
 * The official openai-java client, asynchronous flavour on OkHttp. Its OkHttp dispatcher
 * is not reachable from the builder and lets 64 requests run at once.
 */
final class OpenAiJavaClient implements BenchClient {

	private final Map<String, OpenAIClientAsync> clients = new HashMap<>();

	OpenAiJavaClient(String address, boolean observed) {
		for (String target : new String[] { "chat", "s50", "s2000", "trickle" }) {
			this.clients.put(target, OpenAIOkHttpClientAsync.builder()
				.baseUrl(address + "/" + target + "/v1")
				.apiKey("bench")
				.maxRetries(0)
				.build());
		}
	}

	private static ChatCompletionCreateParams params() {
		return ChatCompletionCreateParams.builder().model(MODEL).addUserMessage(PROMPT).maxCompletionTokens(MAX_TOKENS).build();
	}

	@Override
	public void chat(Call call) {
		this.clients.get("chat").chat().completions().create(params()).whenComplete((completion, error) -> {
			if (error == null) {
				// Reads the fields, as a caller does; the SDK checks them lazily.
				completion.validate();
			}
			call.done(error, (error != null) ? 0 : 1);
		});
	}

	@Override
	public Runnable stream(String target, Call call) {
		int[] count = new int[1];
		AsyncStreamResponse<ChatCompletionChunk> response = this.clients.get(target)
			.chat()
			.completions()
			.createStreaming(params());
		response.subscribe((chunk) -> {
			chunk.validate();
			if (count[0]++ == 0) {
				call.first();
			}
		}).onCompleteFuture().whenComplete((ignored, error) -> call.done(error, count[0]));
		return response::close;
	}

	@Override
	public void close() {
		this.clients.values().forEach(OpenAIClientAsync::close);
	}

}
