package dev.kluster.boot.benchmarks.perf;

import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The floor: Reactor Netty's {@link HttpClient} posting the request, written by Jackson
 * for each call, and Jackson reading the answer, or each SSE {@code data:} line of a
 * stream, into plain records. Nothing cheaper makes the same call.
 */
final class FloorClient implements BenchClient {

	private final String address;

	private final HttpClient json;

	private final HttpClient sse;

	private final JsonMapper mapper = JsonMapper.builder().build();

	FloorClient(String address, boolean observed) {
		this.address = address;
		HttpClient client = HttpClient.create()
			.headers((headers) -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json")
				.set(HttpHeaderNames.AUTHORIZATION, "Bearer bench"));
		this.json = client.headers((headers) -> headers.set(HttpHeaderNames.ACCEPT, "application/json"));
		this.sse = client.headers((headers) -> headers.set(HttpHeaderNames.ACCEPT, "text/event-stream"));
	}

	@Override
	public void chat(Call call) {
		byte[] body = this.mapper.writeValueAsBytes(new Request(MODEL, List.of(new Message("user", PROMPT)), MAX_TOKENS, null));
		this.json.post()
			.uri(this.address + "/chat/v1/chat/completions")
			.send((request, out) -> out.sendByteArray(Mono.just(body)))
			.responseSingle((response, content) -> (response.status().code() == 200) ? content.asByteArray()
					: Mono.error(new IllegalStateException("HTTP " + response.status())))
			.map((bytes) -> this.mapper.readValue(bytes, Completion.class))
			.subscribe((completion) -> call.done(null, 1), (error) -> call.done(error, 0));
	}

	@Override
	public Runnable stream(String target, Call call) {
		byte[] body = this.mapper.writeValueAsBytes(new Request(MODEL, List.of(new Message("user", PROMPT)), MAX_TOKENS, true));
		int[] count = new int[1];
		Consumer<Chunk> onChunk = (chunk) -> {
			if (count[0]++ == 0) {
				call.first();
			}
		};
		Disposable subscription = this.sse.post()
			.uri(this.address + "/" + target + "/v1/chat/completions")
			.send((request, out) -> out.sendByteArray(Mono.just(body)))
			.response((response, content) -> {
				if (response.status().code() != 200) {
					return Mono.error(new IllegalStateException("HTTP " + response.status()));
				}
				SseLines lines = new SseLines(this.mapper, onChunk);
				return content.doOnNext(lines::feed).then();
			})
			.subscribe(null, (error) -> call.done(error, count[0]), () -> call.done(null, count[0]));
		return subscription::dispose;
	}

	/** Splits the body into lines, without a copy for lines inside one buffer, and reads each data line. */
	private static final class SseLines {

		private final JsonMapper mapper;

		private byte[] line = new byte[1024];

		private int pending;

		private boolean done;

		private final Consumer<Chunk> onChunk;

		SseLines(JsonMapper mapper, Consumer<Chunk> onChunk) {
			this.mapper = mapper;
			this.onChunk = onChunk;
		}

		void feed(ByteBuf buf) {
			int index = buf.readerIndex();
			int end = buf.writerIndex();
			while (index < end) {
				int newline = buf.indexOf(index, end, (byte) '\n');
				int stop = (newline < 0) ? end : newline;
				int length = stop - index;
				if (this.pending + length > this.line.length) {
					this.line = java.util.Arrays.copyOf(this.line, Math.max(this.line.length * 2, this.pending + length));
				}
				buf.getBytes(index, this.line, this.pending, length);
				this.pending += length;
				if (newline < 0) {
					break;
				}
				handleLine();
				this.pending = 0;
				index = newline + 1;
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
			this.onChunk.accept(this.mapper.readValue(this.line, start, length - start, Chunk.class));
		}

	}

	record Request(String model, List<Message> messages, @JsonProperty("max_completion_tokens") int maxCompletionTokens, Boolean stream) {
	}

	record Message(String role, String content) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Completion(String id, String object, long created, String model, List<Choice> choices, Usage usage) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Choice(int index, Message message, Message delta, @JsonProperty("finish_reason") String finishReason) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Usage(@JsonProperty("prompt_tokens") int promptTokens,
			@JsonProperty("completion_tokens") int completionTokens, @JsonProperty("total_tokens") int totalTokens) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Chunk(String id, String object, long created, String model, List<Choice> choices, Usage usage) {
	}

}
