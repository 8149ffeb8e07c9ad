package dev.kluster.boot.benchmarks.perf;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import reactor.core.Disposable;

import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

/**
 * Spring AI 2.0.1's {@link OpenAiChatModel} (on the official openai-java SDK and OkHttp).
 * Its {@code call} blocks, so chat calls run on a pool of threads, as many as are in
 * flight; streams use its {@code Flux}. Its OkHttp dispatcher, which it does not let
 * callers replace, runs at most 64 requests at once.
 */
final class SpringAiClient implements BenchClient {

	private final Map<String, OpenAiChatModel> models = new HashMap<>();

	private final ExecutorService callers = Executors.newCachedThreadPool();

	SpringAiClient(String address, boolean observed) {
		for (String target : new String[] { "chat", "s50", "s2000", "trickle" }) {
			OpenAiChatOptions options = OpenAiChatOptions.builder()
				.baseUrl(address + "/" + target + "/v1")
				.apiKey("bench")
				.model(MODEL)
				.maxCompletionTokens(MAX_TOKENS)
				.maxRetries(0)
				.build();
			this.models.put(target, OpenAiChatModel.builder().options(options).build());
		}
	}

	@Override
	public void chat(Call call) {
		OpenAiChatModel model = this.models.get("chat");
		this.callers.execute(() -> {
			try {
				model.call(new Prompt(PROMPT));
			}
			catch (Throwable ex) {
				call.done(ex, 0);
				return;
			}
			call.done(null, 1);
		});
	}

	@Override
	public Runnable stream(String target, Call call) {
		int[] count = new int[1];
		Disposable subscription = this.models.get(target).stream(new Prompt(PROMPT)).subscribe((response) -> {
			if (count[0]++ == 0) {
				call.first();
			}
		}, (error) -> call.done(error, count[0]), () -> call.done(null, count[0]));
		return subscription::dispose;
	}

	@Override
	public void close() {
		this.callers.shutdownNow();
	}

}
