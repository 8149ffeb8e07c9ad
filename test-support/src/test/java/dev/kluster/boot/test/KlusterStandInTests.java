package dev.kluster.boot.test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.IntStream;

import io.netty.handler.codec.http.HttpHeaderNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.PrematureCloseException;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;

import org.springframework.http.client.ReactorResourceFactory;

import dev.kluster.boot.test.StandInClient.Piece;
import dev.kluster.boot.test.StandInClient.Reply;
import dev.kluster.boot.test.StandInClient.Streamed;

import static dev.kluster.boot.test.StandInClient.chat;
import static dev.kluster.boot.test.StandInClient.streamedChat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link KlusterStandIn}.
 */
class KlusterStandInTests {

	private static final String LLAMA = "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo";

	private static final String DEEPSEEK = "deepseek-ai/DeepSeek-R1";

	private KlusterStandIn standIn;

	private StandInClient client;

	@BeforeEach
	void start() {
		this.standIn = KlusterStandIn.start();
		this.client = new StandInClient(this.standIn.baseUrl());
	}

	@AfterEach
	void close() {
		this.standIn.close();
	}

	@Test
	void listensOnLoopbackAtAFreePortByDefault() {
		assertThat(this.standIn.port()).isPositive();
		assertThat(this.standIn.baseUrl()).isEqualTo("http://127.0.0.1:" + this.standIn.port() + "/v1");
	}

	@Test
	void listensOnTheGivenPort() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		try (KlusterStandIn onPort = KlusterStandIn.start(port)) {
			assertThat(onPort.port()).isEqualTo(port);
			assertThat(new StandInClient(onPort.baseUrl()).get("/models").status()).isEqualTo(200);
		}
	}

	@Test
	void stopsListeningWhenClosed() {
		this.standIn.close();
		Streamed streamed = this.client.stream(streamedChat(LLAMA, "anyone there?"));
		assertThat(streamed.status()).isNull();
		assertThat(streamed.error()).hasMessageContaining("Connection refused");
		this.standIn.close();
	}

	@Test
	void keepsAnsweringWhenAnApplicationContextThatUsedReactorNettyCloses() {
		// What closing a Boot application with WebClient does to Reactor Netty's global
		// resources: they are disposed, with their event loops.
		ReactorResourceFactory resources = new ReactorResourceFactory();
		resources.afterPropertiesSet();
		resources.destroy();
		assertThat(this.client.get("/models").status()).isEqualTo(200);
	}

	@Test
	void listsTheDefaultModels() {
		Reply reply = this.client.get("/models");
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
		JsonNode json = reply.json();
		assertThat(json.path("object").asString()).isEqualTo("list");
		assertThat(json.path("data").valueStream().map((model) -> model.path("id").asString()))
			.containsExactly("klusterai/Meta-Llama-3.1-8B-Instruct-Turbo", "klusterai/Meta-Llama-3.3-70B-Instruct-Turbo",
					"deepseek-ai/DeepSeek-R1", "deepseek-ai/DeepSeek-V3-0324", "google/gemma-3-27b-it",
					"Qwen/Qwen2.5-VL-7B-Instruct");
		JsonNode first = json.path("data").path(0);
		assertThat(first.path("object").asString()).isEqualTo("model");
		assertThat(first.path("owned_by").asString()).isEqualTo("klusterai");
		assertThat(first.path("created").isNumber()).isTrue();
	}

	@Test
	void listsReplacedModelsAndAcceptsOnlyThem() {
		this.standIn.models("my-org/fine-tuned-llama");
		assertThat(this.client.get("/models").json().path("data").valueStream().map((m) -> m.path("id").asString()))
			.containsExactly("my-org/fine-tuned-llama");
		assertThat(this.client.post("/chat/completions", chat("my-org/fine-tuned-llama", "hi")).status())
			.isEqualTo(200);
		assertThat(this.client.post("/chat/completions", chat(LLAMA, "hi")).status()).isEqualTo(404);
	}

	@Test
	void answersACompletionThatEchoesTheLastUserMessageWithWordCountsAsUsage() {
		String body = """
				{"model": "%s", "messages": [
					{"role": "system", "content": "Be brief"},
					{"role": "user", "content": "First question"},
					{"role": "assistant", "content": "First answer"},
					{"role": "user", "content": "Hello there, stand-in"}
				]}""".formatted(LLAMA);
		Reply reply = this.client.post("/chat/completions", body);
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
		JsonNode json = reply.json();
		assertThat(json.path("object").asString()).isEqualTo("chat.completion");
		assertThat(json.path("id").asString()).isNotEmpty();
		assertThat(json.path("model").asString()).isEqualTo(LLAMA);
		JsonNode choice = json.path("choices").path(0);
		assertThat(choice.path("message").path("role").asString()).isEqualTo("assistant");
		assertThat(choice.path("message").path("content").asString()).isEqualTo("You said: Hello there, stand-in");
		assertThat(choice.path("finish_reason").asString()).isEqualTo("stop");
		assertThat(json.path("usage").path("prompt_tokens").asInt()).isEqualTo(9);
		assertThat(json.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
		assertThat(json.path("usage").path("total_tokens").asInt()).isEqualTo(14);
		assertThat(json.has("system_fingerprint")).isFalse();
	}

	@Test
	void readsTheTextPartsOfContentArrays() {
		String body = """
				{"model": "Qwen/Qwen2.5-VL-7B-Instruct", "messages": [{"role": "user", "content": [
					{"type": "text", "text": "What is in"},
					{"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
					{"type": "text", "text": "this picture?"}
				]}]}""";
		JsonNode json = this.client.post("/chat/completions", body).json();
		assertThat(json.path("choices").path(0).path("message").path("content").asString())
			.isEqualTo("You said: What is in this picture?");
		assertThat(json.path("usage").path("prompt_tokens").asInt()).isEqualTo(5);
	}

	@Test
	void streamsTheAnswerWordByWordAsSeparatelyFlushedEventsEndingWithDone() {
		this.standIn.answer("one two three").chunkDelay(Duration.ofMillis(40));
		Streamed streamed = this.client.stream(streamedChat(LLAMA, "count to three"));
		assertThat(streamed.error()).isNull();
		assertThat(streamed.status()).isEqualTo(200);
		assertThat(streamed.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/event-stream");
		assertThat(streamed.headers().get(HttpHeaderNames.CONTENT_LENGTH)).isNull();
		// role, three words, finish, usage, [DONE]: each in a read of its own
		assertThat(streamed.pieces()).hasSize(7)
			.allSatisfy((piece) -> assertThat(piece.text()).matches("data: [^\\n]+\\n\\n"));
		List<Piece> pieces = streamed.pieces();
		assertThat(pieces.get(6).arrivedAtNanos() - pieces.get(0).arrivedAtNanos())
			.isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
		assertThat(pieces.get(6).text()).isEqualTo("data: [DONE]\n\n");
		List<JsonNode> chunks = streamed.chunks();
		assertThat(chunks).hasSize(6)
			.allSatisfy((chunk) -> assertThat(chunk.path("object").asString()).isEqualTo("chat.completion.chunk"));
		assertThat(chunks.stream().map((chunk) -> chunk.path("id").asString()).distinct()).hasSize(1);
		assertThat(chunks.get(0).path("choices").path(0).path("delta").path("role").asString()).isEqualTo("assistant");
		assertThat(chunks.subList(1, 4)
			.stream()
			.map((chunk) -> chunk.path("choices").path(0).path("delta").path("content").asString()))
			.containsExactly("one", " two", " three");
		assertThat(chunks.get(3).path("choices").path(0).has("finish_reason")).isFalse();
		assertThat(chunks.get(4).path("choices").path(0).path("finish_reason").asString()).isEqualTo("stop");
		assertThat(chunks.get(4).has("usage")).isFalse();
		JsonNode usageChunk = chunks.get(5);
		assertThat(usageChunk.path("choices").isArray()).isTrue();
		assertThat(usageChunk.path("choices").isEmpty()).isTrue();
		assertThat(usageChunk.path("usage").path("prompt_tokens").asInt()).isEqualTo(3);
		assertThat(usageChunk.path("usage").path("completion_tokens").asInt()).isEqualTo(3);
		assertThat(usageChunk.path("usage").path("total_tokens").asInt()).isEqualTo(6);
	}

	@Test
	void streamsWithoutPacingByDefault() {
		// Reactor's time stands still: a paced stream would never end and the client time out.
		Streamed streamed = withVirtualTime((time) -> this.client.stream(streamedChat(LLAMA, "say something quick")));
		assertThat(streamed.error()).isNull();
		assertThat(streamed.content()).isEqualTo("You said: say something quick");
		assertThat(streamed.data()).last().isEqualTo("[DONE]");
		assertThat(streamed.data()).noneMatch((data) -> data.startsWith("?"));
	}

	@Test
	void answersPerModelAndPerPromptBeforeTheDefault() {
		this.standIn.answer("default answer")
			.answerFor(DEEPSEEK, "deepseek answer")
			.answerWhenPromptContains("weather", "sunny")
			.answerWhenPromptContains("weather today", "never chosen: an earlier rule matches first");
		assertThat(text(this.client.post("/chat/completions", chat(LLAMA, "hello")))).isEqualTo("default answer");
		assertThat(text(this.client.post("/chat/completions", chat(DEEPSEEK, "hello")))).isEqualTo("deepseek answer");
		assertThat(text(this.client.post("/chat/completions", chat(DEEPSEEK, "the weather today?"))))
			.isEqualTo("sunny");
		assertThat(this.client.stream(streamedChat(DEEPSEEK, "hello")).content()).isEqualTo("deepseek answer");
	}

	@Test
	void matchesPromptsAgainstTheLastUserMessageOnly() {
		this.standIn.answerWhenPromptContains("weather", "sunny");
		String body = """
				{"model": "%s", "messages": [
					{"role": "system", "content": "You know the weather"},
					{"role": "user", "content": "hello"}
				]}""".formatted(LLAMA);
		assertThat(text(this.client.post("/chat/completions", body))).isEqualTo("You said: hello");
	}

	@ParameterizedTest
	@ValueSource(strings = { "store", "max_tokens", "n", "modalities", "response_format", "service_tier",
			"stream_options", "tools", "tool_choice", "parallel_tool_calls", "function_call", "functions" })
	void refusesAnUnsupportedRequestField(String field) {
		String body = """
				{"model": "%s", "messages": [{"role": "user", "content": "hi"}], "%s": true}""".formatted(LLAMA, field);
		Reply reply = this.client.post("/chat/completions", body);
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.headers().get(KlusterStandIn.REQUEST_ID_HEADER)).startsWith("req_");
		JsonNode error = reply.json().path("error");
		assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
		assertThat(error.path("param").asString()).isEqualTo(field);
		assertThat(error.path("message").asString()).contains(field);
		assertThat(error.has("code")).isTrue();
		assertThat(error.path("code").isNull()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "name", "refusal", "audio", "tool_calls", "function_call" })
	void refusesAnUnsupportedMessageField(String field) {
		String body = """
				{"model": "%s", "messages": [
					{"role": "user", "content": "hi"},
					{"role": "assistant", "content": "hello", "%s": "x"}
				]}""".formatted(LLAMA, field);
		Reply reply = this.client.post("/chat/completions", body);
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.json().path("error").path("param").asString()).isEqualTo("messages[1]." + field);
	}

	@Test
	void answersARequestWithAnAcceptedFieldAndStillRefusesTheOthers() {
		this.standIn.accept("tools", "tool_choice").answer("Sunny");
		Reply answered = chatWith("\"tools\": [{\"type\": \"function\", "
				+ "\"function\": {\"name\": \"current_weather\"}}], \"tool_choice\": \"auto\"");
		assertThat(answered.status()).isEqualTo(200);
		assertThat(text(answered)).isEqualTo("Sunny");
		assertRefused(chatWith("\"parallel_tool_calls\": true"), "parallel_tool_calls");
	}

	@Test
	void acceptsAMessageFieldOnlyInMessagesWhenItsNameStartsWithMessages() {
		this.standIn.accept("messages[].function_call");
		Reply inMessage = this.client.post("/chat/completions", """
				{"model": "%s", "messages": [
					{"role": "user", "content": "hi"},
					{"role": "assistant", "content": "hello", "function_call": {"name": "f", "arguments": "{}"}}
				]}""".formatted(LLAMA));
		assertThat(inMessage.status()).isEqualTo(200);
		assertRefused(chatWith("\"function_call\": \"auto\""), "function_call");
	}

	@Test
	void resetRefusesAcceptedFieldsAgain() {
		this.standIn.accept("n");
		assertThat(chatWith("\"n\": 1").status()).isEqualTo(200);
		this.standIn.reset();
		assertRefused(chatWith("\"n\": 1"), "n");
	}

	private Reply chatWith(String fields) {
		return this.client.post("/chat/completions", """
				{"model": "%s", "messages": [{"role": "user", "content": "hi"}], %s}""".formatted(LLAMA, fields));
	}

	private static void assertRefused(Reply reply, String param) {
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.json().path("error").path("param").asString()).isEqualTo(param);
	}

	@Test
	void refusesARequestWithoutModel() {
		Reply reply = this.client.post("/chat/completions", """
				{"messages": [{"role": "user", "content": "hi"}]}""");
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.json().path("error").path("param").asString()).isEqualTo("model");
	}

	@Test
	void refusesARequestWithoutMessages() {
		Reply reply = this.client.post("/chat/completions", """
				{"model": "%s"}""".formatted(LLAMA));
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.json().path("error").path("param").asString()).isEqualTo("messages");
	}

	@Test
	void refusesABodyThatIsNotJson() {
		Reply reply = this.client.post("/chat/completions", "model=llama");
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.json().path("error").path("type").asString()).isEqualTo("invalid_request_error");
	}

	@Test
	void answersNotFoundForAnUnknownModelUnlessAnyModelIsAccepted() {
		Reply reply = this.client.post("/chat/completions", chat("openai/gpt-4o", "hi"));
		assertThat(reply.status()).isEqualTo(404);
		JsonNode error = reply.json().path("error");
		assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
		assertThat(error.path("param").asString()).isEqualTo("model");
		assertThat(error.path("code").asString()).isEqualTo("model_not_found");
		assertThat(error.path("message").asString()).contains("openai/gpt-4o");
		this.standIn.acceptAnyModel();
		assertThat(text(this.client.post("/chat/completions", chat("openai/gpt-4o", "hi")))).isEqualTo("You said: hi");
	}

	@Test
	void answersNotFoundForAnUnknownPath() {
		Reply reply = this.client.post("/fine_tuning/jobs", "{}");
		assertThat(reply.status()).isEqualTo(404);
		assertThat(reply.json().path("error").path("message").asString()).contains("/v1/fine_tuning/jobs");
		assertThat(this.client.get("/chat/completions").status()).isEqualTo(404);
	}

	@Test
	void givesEveryAnswerAnIncreasingRequestId() {
		Reply models = this.client.get("/models");
		Reply refused = this.client.post("/chat/completions", "{}");
		this.standIn.failNext(500, "boom");
		Reply failed = this.client.get("/models");
		assertThat(List.of(models, refused, failed))
			.map((reply) -> reply.headers().get(KlusterStandIn.REQUEST_ID_HEADER))
			.containsExactly("req_1", "req_2", "req_3");
		assertThat(this.standIn.requests()).map(RecordedRequest::requestId).containsExactly("req_1", "req_2", "req_3");
	}

	@Test
	void failsTheNextRequestOnlyWithTheGivenStatusAndBody() {
		String html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
		this.standIn.failNext(502, html);
		Reply failed = this.client.post("/chat/completions", chat(LLAMA, "hi"));
		assertThat(failed.status()).isEqualTo(502);
		assertThat(failed.body()).isEqualTo(html);
		assertThat(failed.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/html");
		assertThat(failed.headers().get(KlusterStandIn.REQUEST_ID_HEADER)).isEqualTo("req_1");
		assertThat(this.client.post("/chat/completions", chat(LLAMA, "hi")).status()).isEqualTo(200);
	}

	@Test
	void appliesQueuedFaultsInOrderOnePerRequest() {
		this.standIn.failNext(500, "{\"error\": {\"message\": \"internal\"}}").rateLimitNext(null).failNext(503, "busy");
		assertThat(IntStream.range(0, 4).mapToObj((i) -> this.client.get("/models").status()))
			.containsExactly(500, 429, 503, 200);
	}

	@Test
	void rateLimitsTheNextRequestWithRetryAfter() {
		this.standIn.rateLimitNext(Duration.ofMillis(6500));
		Reply reply = this.client.post("/chat/completions", chat(LLAMA, "hi"));
		assertThat(reply.status()).isEqualTo(429);
		assertThat(reply.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("7");
		JsonNode error = reply.json().path("error");
		assertThat(error.path("message").asString()).contains("Rate limit");
		assertThat(error.path("code").asString()).isEqualTo("rate_limit_exceeded");
		assertThat(this.client.post("/chat/completions", chat(LLAMA, "hi")).status()).isEqualTo(200);
	}

	@Test
	void rateLimitsTheNextRequestWithoutRetryAfter() {
		this.standIn.rateLimitNext(null);
		Reply reply = this.client.post("/chat/completions", chat(LLAMA, "hi"));
		assertThat(reply.status()).isEqualTo(429);
		assertThat(reply.headers().contains(HttpHeaderNames.RETRY_AFTER)).isFalse();
	}

	@Test
	void delaysTheNextAnswerOnly() {
		this.standIn.delayNext(Duration.ofMillis(800));
		withVirtualTime((time) -> {
			CompletableFuture<Reply> slow = CompletableFuture
				.supplyAsync(() -> this.client.post("/chat/completions", chat(LLAMA, "slow")));
			assertThat(this.standIn.takeRequest(Duration.ofSeconds(10))).isNotNull();
			// Sent while the first waits for time that does not pass: the delay belongs
			// to the first request alone, and the first is answered only once it has passed.
			Reply fast = this.client.post("/chat/completions", chat(LLAMA, "fast"));
			assertThat(fast.status()).isEqualTo(200);
			assertThat(slow).isNotDone();
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				time.advanceTimeBy(Duration.ofMillis(800));
				assertThat(slow).isDone();
			});
			assertThat(slow.join().status()).isEqualTo(200);
			return null;
		});
	}

	@Test
	void delayedAnswerComesNoSoonerThanTheDelay() {
		this.standIn.delayNext(Duration.ofMillis(300));
		long start = System.nanoTime();
		assertThat(this.client.post("/chat/completions", chat(LLAMA, "slow")).status()).isEqualTo(200);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
	}

	@Test
	void dropsTheNextStreamAfterTheGivenNumberOfChunks() {
		this.standIn.answer("one two three four");
		this.standIn.dropStreamAfter(2);
		Streamed streamed = this.client.stream(streamedChat(LLAMA, "count"));
		assertThat(streamed.status()).isEqualTo(200);
		assertThat(streamed.error()).isInstanceOf(PrematureCloseException.class);
		assertThat(streamed.data()).hasSize(2).doesNotContain("[DONE]");
		assertThat(streamed.content()).isEqualTo("one");
		assertThat(this.client.stream(streamedChat(LLAMA, "count")).data()).last().isEqualTo("[DONE]");
	}

	@Test
	void closesTheConnectionOfANextRequestThatIsNotStreamedWhenDroppingTheStream() {
		this.standIn.dropStreamAfter(1);
		Streamed reply = this.client.stream(chat(LLAMA, "hi"));
		assertThat(reply.status()).isNull();
		assertThat(reply.error()).isInstanceOf(PrematureCloseException.class);
	}

	@Test
	void sendsAMalformedChunkAfterTheGivenNumberOfChunks() {
		this.standIn.answer("one two");
		this.standIn.malformedChunkAfter(2);
		Streamed streamed = this.client.stream(streamedChat(LLAMA, "count"));
		assertThat(streamed.error()).isNull();
		List<String> data = streamed.data();
		assertThat(data).hasSize(7);
		assertThat(data.get(2)).isEqualTo("{not json");
		assertThat(data).last().isEqualTo("[DONE]");
		assertThat(streamed.content()).isEqualTo("one two");
	}

	@Test
	void answersMalformedJsonToANextRequestThatIsNotStreamed() {
		this.standIn.malformedChunkAfter(0);
		Reply reply = this.client.post("/chat/completions", chat(LLAMA, "hi"));
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.body()).isEqualTo(KlusterStandIn.MALFORMED_JSON);
	}

	@Test
	void endsTheNextStreamWithoutDone() {
		this.standIn.streamWithoutDone();
		Streamed streamed = this.client.stream(streamedChat(LLAMA, "hi there"));
		assertThat(streamed.error()).isNull();
		assertThat(streamed.data()).doesNotContain("[DONE]");
		assertThat(streamed.chunks()).last()
			.satisfies((chunk) -> assertThat(chunk.path("usage").path("total_tokens").asInt()).isEqualTo(6));
		assertThat(this.client.stream(streamedChat(LLAMA, "hi")).data()).last().isEqualTo("[DONE]");
	}

	@Test
	void refusesNegativeChunkCountsAndDelays() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.standIn.dropStreamAfter(-1));
		assertThatIllegalArgumentException().isThrownBy(() -> this.standIn.malformedChunkAfter(-1));
		assertThatIllegalArgumentException().isThrownBy(() -> this.standIn.chunkDelay(Duration.ofMillis(-1)));
	}

	@Test
	void recordsEveryRequestWithHeadersAndBody() {
		String body = chat(LLAMA, "record me");
		this.client.get("/models");
		this.client.post("/chat/completions?trace=1", body,
				Map.of("Authorization", "Bearer secret-key", "X-Custom", "custom value"));
		assertThat(this.standIn.requestCount()).isEqualTo(2);
		List<RecordedRequest> requests = this.standIn.requests();
		assertThat(requests.get(0).method()).isEqualTo("GET");
		assertThat(requests.get(0).path()).isEqualTo("/v1/models");
		assertThat(requests.get(0).body()).isEmpty();
		assertThat(requests.get(0).json().isMissingNode()).isTrue();
		RecordedRequest last = this.standIn.lastRequest();
		assertThat(last).isSameAs(requests.get(1));
		assertThat(last.method()).isEqualTo("POST");
		assertThat(last.path()).isEqualTo("/v1/chat/completions?trace=1");
		assertThat(last.header("authorization")).isEqualTo("Bearer secret-key");
		assertThat(last.headers().getFirst("x-custom")).isEqualTo("custom value");
		assertThat(last.header("Content-Type")).isEqualTo("application/json");
		assertThat(last.body()).isEqualTo(body);
		assertThat(last.json().path("model").asString()).isEqualTo(LLAMA);
		assertThat(last.json().path("messages").path(0).path("content").asString()).isEqualTo("record me");
	}

	@Test
	void recordsRefusedAndFailedRequestsToo() {
		this.standIn.failNext(500, "boom");
		this.client.post("/chat/completions", "not json");
		this.client.post("/chat/completions", "not json either");
		assertThat(this.standIn.requests()).map(RecordedRequest::body).containsExactly("not json", "not json either");
		assertThatIllegalStateException().isThrownBy(() -> this.standIn.lastRequest().json())
			.withMessageContaining("not JSON");
	}

	@Test
	void takesRequestsInOrderAndWaitsForThem() {
		assertThat(this.standIn.takeRequest(Duration.ofMillis(50))).isNull();
		this.client.get("/models");
		this.client.post("/chat/completions", chat(LLAMA, "hi"));
		assertThat(this.standIn.takeRequest(Duration.ofSeconds(1)).method()).isEqualTo("GET");
		assertThat(this.standIn.takeRequest(Duration.ofSeconds(1)).method()).isEqualTo("POST");
		assertThat(this.standIn.takeRequest(Duration.ofMillis(50))).isNull();
		assertThat(this.standIn.requestCount()).isEqualTo(2);
	}

	@Test
	void lastRequestFailsBeforeAnyRequest() {
		assertThatIllegalStateException().isThrownBy(this.standIn::lastRequest)
			.withMessageContaining("no request");
	}

	@Test
	void resetForgetsScriptsFaultsRecordsAndSettings() {
		this.standIn.answer("scripted")
			.answerFor(LLAMA, "for llama")
			.answerWhenPromptContains("hi", "prompt rule")
			.models("only/model")
			.chunkDelay(Duration.ofSeconds(5))
			.failNext(500, "boom");
		this.client.get("/models");
		this.standIn.failNext(500, "boom");
		this.standIn.reset();
		assertThat(this.standIn.requestCount()).isZero();
		assertThat(this.standIn.takeRequest(Duration.ZERO)).isNull();
		Reply reply = this.client.post("/chat/completions", chat(LLAMA, "hi"));
		assertThat(reply.status()).isEqualTo(200);
		assertThat(text(reply)).isEqualTo("You said: hi");
		assertThat(this.client.get("/models").json().path("data")).hasSize(KlusterStandIn.DEFAULT_MODELS.size());
		// The 5 s chunk delay is gone: with Reactor's time standing still the stream still ends.
		Streamed streamed = withVirtualTime((time) -> this.client.stream(streamedChat(LLAMA, "hi")));
		assertThat(streamed.error()).isNull();
		assertThat(streamed.data()).last().isEqualTo("[DONE]");
	}

	/**
	 * Runs {@code action} while Reactor's schedulers, which the stand-in's delays use,
	 * run on a virtual clock that only {@code action} moves.
	 */
	private static <T> T withVirtualTime(Function<VirtualTimeScheduler, T> action) {
		VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
		try {
			return action.apply(time);
		}
		finally {
			VirtualTimeScheduler.reset();
		}
	}

	@Test
	void recordsConcurrentRequestsSafely() {
		List<Integer> statuses = Flux.range(0, 40)
			.parallel(8)
			.runOn(Schedulers.boundedElastic())
			.map((i) -> this.client.post("/chat/completions", chat(LLAMA, "request " + i)).status())
			.sequential()
			.collectList()
			.block(StandInClient.TIMEOUT);
		assertThat(statuses).hasSize(40).containsOnly(200);
		assertThat(this.standIn.requestCount()).isEqualTo(40);
		assertThat(this.standIn.requests()).map(RecordedRequest::requestId).doesNotHaveDuplicates();
		assertThat(this.standIn.requests()).map((request) -> request.json().path("messages").path(0).path("content")
			.asString()).doesNotHaveDuplicates();
	}

	private static String text(Reply reply) {
		assertThat(reply.status()).isEqualTo(200);
		return reply.json().path("choices").path(0).path("message").path("content").asString();
	}

}
