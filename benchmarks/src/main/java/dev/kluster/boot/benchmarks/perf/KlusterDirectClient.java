package dev.kluster.boot.benchmarks.perf;

import java.util.HashMap;
import java.util.Map;

import reactor.core.Disposable;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionChunk;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;

/**
 * An experiment, not a client users get: the auto-configured {@link KlusterConnection}'s
 * {@code WebClient} (same connector, codecs and headers as the project's client) called
 * directly, without the client's defaults, validation, timeouts and retries, and with
 * streams read as raw buffers split into lines and read once by Jackson into the
 * project's {@link ChatCompletionChunk}, instead of {@code ServerSentEvent<String>}.
 * The gap between this row and {@code kluster} is what the client's own layers cost;
 * the gap between this row and the floor is what WebClient costs.
 */
final class KlusterDirectClient implements BenchClient {

	private final Map<String, ConfigurableApplicationContext> contexts = new HashMap<>();

	private final Map<String, KlusterConnection> connections = new HashMap<>();

	KlusterDirectClient(String address, boolean observed) {
		for (String target : new String[] { "chat", "s50", "s2000", "trickle" }) {
			ConfigurableApplicationContext context = new SpringApplicationBuilder(KlusterClient.App.class)
				.web(WebApplicationType.NONE)
				.logStartupInfo(false)
				.properties("spring.main.banner-mode=off", "kluster.api-key=bench",
						"kluster.base-url=" + address + "/" + target + "/v1")
				.run();
			this.contexts.put(target, context);
			this.connections.put(target, context.getBean(KlusterConnection.class));
		}
	}

	private static ChatCompletionRequest request(Boolean stream) {
		return ChatCompletionRequest.builder()
			.model(MODEL)
			.message(ChatMessage.user(PROMPT))
			.maxCompletionTokens(MAX_TOKENS)
			.stream(stream)
			.build();
	}

	@Override
	public void chat(Call call) {
		this.connections.get("chat")
			.webClient()
			.post()
			.uri("/chat/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON)
			.bodyValue(request(null))
			.retrieve()
			.bodyToMono(ChatCompletion.class)
			.subscribe((completion) -> call.done(null, 1), (error) -> call.done(error, 0));
	}

	@Override
	public Runnable stream(String target, Call call) {
		KlusterConnection connection = this.connections.get(target);
		JsonMapper mapper = connection.jsonMapper();
		int[] count = new int[1];
		Lines lines = new Lines(mapper, () -> {
			if (count[0]++ == 0) {
				call.first();
			}
		});
		Disposable subscription = connection.webClient()
			.post()
			.uri("/chat/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.bodyValue(request(true))
			.retrieve()
			.bodyToFlux(DataBuffer.class)
			.doOnNext(lines::consume)
			.subscribe(null, (error) -> call.done(error, count[0]), () -> call.done(null, count[0]));
		return subscription::dispose;
	}

	@Override
	public void close() {
		this.contexts.values().forEach(ConfigurableApplicationContext::close);
	}

	/** Splits buffers into lines and reads each {@code data:} line once, from bytes. */
	static final class Lines {

		private final JsonMapper mapper;

		private final Runnable onChunk;

		private byte[] line = new byte[1024];

		private int pending;

		private boolean done;

		Lines(JsonMapper mapper, Runnable onChunk) {
			this.mapper = mapper;
			this.onChunk = onChunk;
		}

		/** Reads a buffer, then releases it. */
		void consume(DataBuffer buffer) {
			try {
				feed(buffer);
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}

		private void feed(DataBuffer buffer) {
			int index = buffer.readPosition();
			int end = buffer.writePosition();
			while (index < end) {
				int newline = buffer.indexOf((b) -> b == '\n', index);
				int stop = (newline < 0 || newline >= end) ? end : newline;
				int length = stop - index;
				if (this.pending + length > this.line.length) {
					this.line = java.util.Arrays.copyOf(this.line, Math.max(this.line.length * 2, this.pending + length));
				}
				for (int i = 0; i < length; i++) {
					this.line[this.pending + i] = buffer.getByte(index + i);
				}
				this.pending += length;
				if (stop == end) {
					break;
				}
				handleLine();
				this.pending = 0;
				index = stop + 1;
			}
		}

		private void handleLine() {
			int length = this.pending;
			if (this.done || length < 6 || this.line[0] != 'd' || this.line[4] != ':') {
				return;
			}
			int start = (this.line[5] == ' ') ? 6 : 5;
			if (length - start == 6 && this.line[start] == '[') {
				this.done = true;
				return;
			}
			this.mapper.readValue(this.line, start, length - start, ChatCompletionChunk.class);
			this.onChunk.run();
		}

	}

}
