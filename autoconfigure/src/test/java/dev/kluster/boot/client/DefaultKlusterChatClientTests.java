package dev.kluster.boot.client;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

import dev.kluster.boot.model.ChatCompletionChunk;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.ContentPart;
import dev.kluster.boot.model.KlusterModel;
import dev.kluster.boot.model.KlusterOptions;
import dev.kluster.boot.model.ToolDefinition;
import dev.kluster.boot.validation.KlusterValidationException;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import dev.kluster.boot.error.KlusterConnectionException;
import dev.kluster.boot.error.KlusterInvalidResponseException;
import dev.kluster.boot.error.KlusterTimeoutException;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterTimeouts;
import dev.kluster.boot.transport.KlusterRetry;

/**
 * Tests for {@link DefaultKlusterChatClient} against a local HTTP server.
 */
class DefaultKlusterChatClientTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String MODEL = "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo";

	private static final String COMPLETION = """
			{"id":"chatcmpl-1","object":"chat.completion","created":"1733832777","model":"%s",
			 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello there","tool_calls":[]},
			   "logprobs":null,"finish_reason":"stop","stop_reason":null}],
			 "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7,"prompt_tokens_details":null},
			 "prompt_logprobs":null}""".formatted(MODEL);

	private final JsonMapper jsonMapper = JsonMapper.shared();

	@RegisterExtension
	final MockKlusterServer server = new MockKlusterServer();

	private KlusterChatClient client(ChatDefaults defaults, Duration responseTimeout) {
		WebClient webClient = WebClient.builder()
			.defaultHeaders((headers) -> headers.setBearerAuth("sk-test-secret"))
			.build();
		return client(webClient, this.server.baseUrl(), defaults, responseTimeout);
	}

	private KlusterChatClient client(WebClient webClient, String baseUrl, ChatDefaults defaults,
			Duration responseTimeout) {
		KlusterConnection connection = KlusterConnection.builder()
			.webClient(webClient)
			.baseUrl(baseUrl)
			.jsonMapper(this.jsonMapper)
			.build();
		return DefaultKlusterChatClient.builder(connection)
			.defaults(defaults)
			.timeouts(KlusterTimeouts.of(responseTimeout))
			.retry(KlusterRetry.none())
			.build();
	}

	private KlusterChatClient client() {
		return client(ChatDefaults.model(MODEL), TIMEOUT);
	}

	private JsonNode body(RecordedRequest request) {
		return this.jsonMapper.readTree(request.getBody().utf8());
	}

	@Test
	void warmUpWarmsTheConnectionUpAndSendsNothing() {
		KlusterConnection connection = KlusterConnection.builder()
			.apiKey("sk-test-secret")
			.baseUrl(this.server.baseUrl())
			.build();
		DefaultKlusterChatClient.builder(connection).build().warmUp();
		assertThat(connection.isWarm()).isTrue();
		assertThat(this.server.requestCount()).isZero();
	}

	@Test
	void warmUpGetsPastDefaultsThatNoRequestPasses() {
		KlusterConnection connection = KlusterConnection.builder()
			.apiKey("sk-test-secret")
			.baseUrl(this.server.baseUrl())
			.build();
		DefaultKlusterChatClient client = DefaultKlusterChatClient.builder(connection)
			.defaults(new ChatDefaults(MODEL, 3.0, null, null, null, null, null))
			.build();
		client.warmUp();
		assertThat(connection.isWarm()).isTrue();
		StepVerifier.create(client.chat("Hi")).expectError(KlusterValidationException.class).verify(TIMEOUT);
	}

	@Test
	void chatPostsTheRequestAndReadsTheCompletion() throws Exception {
		this.server.enqueueJson(200, COMPLETION);
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.message(ChatMessage.system("Be brief."), ChatMessage.user("Hi"))
			.temperature(0.2)
			.build();
		StepVerifier.create(client().chat(request)).assertNext((completion) -> {
			assertThat(completion.id()).isEqualTo("chatcmpl-1");
			assertThat(completion.created()).isEqualTo(Instant.ofEpochSecond(1733832777));
			assertThat(completion.text()).isEqualTo("Hello there");
			assertThat(completion.choices().get(0).finishReason()).isEqualTo("stop");
			assertThat(completion.choices().get(0).message().toolCalls()).isEmpty();
			assertThat(completion.usage().promptTokens()).isEqualTo(5);
			assertThat(completion.usage().totalTokens()).isEqualTo(7);
			assertThat(completion.usage().promptTokensDetails()).isNull();
		}).expectComplete().verify(TIMEOUT);
		RecordedRequest recorded = this.server.takeRequest();
		assertThat(recorded.getMethod()).isEqualTo("POST");
		assertThat(recorded.getTarget()).isEqualTo("/v1/chat/completions");
		assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer sk-test-secret");
		JsonNode body = body(recorded);
		assertThat(body.get("model").asString()).isEqualTo(MODEL);
		assertThat(body.get("messages").get(1).get("role").asString()).isEqualTo("user");
		assertThat(body.get("messages").get(1).get("content").asString()).isEqualTo("Hi");
		assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
		assertThat(body.has("stream")).isFalse();
		assertThat(body.has("n")).isFalse();
	}

	@Test
	void defaultsFillWhatTheRequestLeavesUnsetAndNeverOverrideIt() throws Exception {
		this.server.enqueueJson(200, COMPLETION);
		ChatDefaults defaults = new ChatDefaults(MODEL, 0.7, 0.9, 256, null, null, List.of("END"));
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.message(ChatMessage.user("Hi"))
			.temperature(0.1)
			.build();
		StepVerifier.create(client(defaults, TIMEOUT).chat(request))
			.expectNextCount(1)
			.expectComplete()
			.verify(TIMEOUT);
		JsonNode body = body(this.server.takeRequest());
		assertThat(body.get("model").asString()).isEqualTo(MODEL);
		assertThat(body.get("temperature").asDouble()).isEqualTo(0.1);
		assertThat(body.get("top_p").asDouble()).isEqualTo(0.9);
		assertThat(body.get("max_completion_tokens").asInt()).isEqualTo(256);
		assertThat(body.get("stop").get(0).asString()).isEqualTo("END");
	}

	@Test
	void contentPartsAndKlusterOptionsGoOnTheWire() throws Exception {
		this.server.enqueueJson(200, COMPLETION);
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.model("Qwen/Qwen2.5-VL-7B-Instruct")
			.message(ChatMessage.user(ContentPart.text("What is in this image?"),
					ContentPart.imageUrl("https://example.com/cat.png")))
			.metadata(java.util.Map.of("team", "search"))
			.klusterOptions(KlusterOptions.builder()
				.async(true)
				.completionWindow(KlusterOptions.CompletionWindow.HOURS_24)
				.build())
			.build();
		StepVerifier.create(client().chat(request)).expectNextCount(1).expectComplete().verify(TIMEOUT);
		JsonNode body = body(this.server.takeRequest());
		JsonNode content = body.get("messages").get(0).get("content");
		assertThat(content.get(0).get("type").asString()).isEqualTo("text");
		assertThat(content.get(1).get("image_url").get("url").asString()).isEqualTo("https://example.com/cat.png");
		assertThat(body.get("metadata").get("team").asString()).isEqualTo("search");
		JsonNode options = body.get("metadata").get("@kluster.ai");
		assertThat(options.get("async").asBoolean()).isTrue();
		assertThat(options.get("completion_window").asString()).isEqualTo("24h");
	}

	@Test
	void promptShortFormAnswersTheText() throws Exception {
		this.server.enqueueJson(200, COMPLETION);
		StepVerifier.create(client().chat("Hi")).expectNext("Hello there").expectComplete().verify(TIMEOUT);
		JsonNode body = body(this.server.takeRequest());
		assertThat(body.get("messages").get(0).get("content").asString()).isEqualTo("Hi");
		assertThat(body.get("model").asString()).isEqualTo(MODEL);
	}

	@Test
	void streamReadsEventsSplitAcrossNetworkReadsUntilDone() throws Exception {
		String body = ": keep-alive\n\n" + MockKlusterServer.sse(
				chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
				chunk("{\"content\":\"Hello\"}", null), chunk("{\"content\":\" world\"}", null),
				chunk("{}", "\"stop\""),
				"{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1733832777,\"model\":\"" + MODEL
						+ "\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}",
				"[DONE]");
		this.server.enqueueStream(body, 7);
		List<ChatCompletionChunk> chunks = client().stream(ChatCompletionRequest.builder()
			.message(ChatMessage.user("Hi"))
			.build()).collectList().block(TIMEOUT);
		assertThat(chunks).hasSize(5);
		assertThat(chunks).extracting(ChatCompletionChunk::text).containsExactly("", "Hello", " world", "", "");
		assertThat(chunks.get(3).choices().get(0).finishReason()).isEqualTo("stop");
		assertThat(chunks.get(4).usage().completionTokens()).isEqualTo(2);
		assertThat(chunks.get(4).usage().totalTokens()).isEqualTo(5);
		RecordedRequest recorded = this.server.takeRequest();
		assertThat(recorded.getHeaders().get("Accept")).isEqualTo("text/event-stream");
		assertThat(body(recorded).get("stream").asBoolean()).isTrue();
	}

	@Test
	void firstChunkOfAReadHoldingManyEventsIsDeliveredBeforeTheOthersAreRead() {
		AtomicInteger reads = new AtomicInteger();
		String[] events = new String[21];
		for (int i = 0; i < 20; i++) {
			events[i] = chunk("{\"content\":\"w" + i + "\"}", null);
		}
		events[20] = "[DONE]";
		// The whole body in one write: the client reads all its events at once.
		this.server.enqueue(new MockResponse.Builder().code(200)
			.setHeader("Content-Type", "text/event-stream")
			.body(MockKlusterServer.sse(events))
			.build());
		KlusterConnection connection = KlusterConnection.builder()
			.webClient(WebClient.create())
			.baseUrl(this.server.baseUrl())
			.jsonMapper(countingChunkReads(reads))
			.build();
		KlusterChatClient client = DefaultKlusterChatClient.builder(connection)
			.defaults(ChatDefaults.model(MODEL))
			.retry(KlusterRetry.none())
			.build();
		StepVerifier.create(client.stream("Hi"), 1)
			.assertNext((text) -> assertThat(reads).as("chunks read when the first is delivered").hasValue(1))
			.thenRequest(Long.MAX_VALUE)
			.expectNextCount(19)
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(reads).hasValue(20);
	}

	// A mapper that counts the chunks it reads.
	private static JsonMapper countingChunkReads(AtomicInteger reads) {
		SimpleModule module = new SimpleModule();
		module.setDeserializerModifier(new ValueDeserializerModifier() {

			@Override
			public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
					BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
				return (description.getBeanClass() == ChatCompletionChunk.class)
						? new CountingDeserializer(deserializer, reads) : deserializer;
			}

		});
		return JsonMapper.builder().addModule(module).build();
	}

	@Test
	void streamShortFormAnswersTheNonEmptyPiecesOfText() {
		this.server.enqueueStream(MockKlusterServer.sse(chunk("{\"role\":\"assistant\"}", null),
				chunk("{\"content\":\"Hel\"}", null), chunk("{\"content\":\"lo\"}", null), "[DONE]"), 64);
		StepVerifier.create(client().stream("Hi")).expectNext("Hel", "lo").expectComplete().verify(TIMEOUT);
	}

	@Test
	void streamThatEndsWithoutDoneFailsAsIncomplete() {
		this.server.enqueueStream(MockKlusterServer.sse(chunk("{\"content\":\"Hel\"}", null)), 64);
		StepVerifier.create(client().stream("Hi"))
			.expectNext("Hel")
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(KlusterInvalidResponseException.class)
				.hasMessageContaining("[DONE]"))
			.verify(TIMEOUT);
	}

	@Test
	void malformedChunkFailsTheStreamWithTheOffendingData() {
		this.server.enqueueStream(MockKlusterServer.sse(chunk("{\"content\":\"Hel\"}", null), "{not json", "[DONE]"),
				64);
		StepVerifier.create(client().stream("Hi"))
			.expectNext("Hel")
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(KlusterInvalidResponseException.class)
				.hasMessageContaining("{not json"))
			.verify(TIMEOUT);
	}

	@Test
	void modelsListsTheAccountsModels() throws Exception {
		this.server.enqueueJson(200, """
				{"object":"list","data":[
				 {"id":"%s","object":"model","created":1731336418,"owned_by":"klusterai"},
				 {"id":"deepseek-ai/DeepSeek-R1","object":"model","created":"1731336418","owned_by":"deepseek-ai"}]}"""
			.formatted(MODEL));
		StepVerifier.create(client().models().map(KlusterModel::id))
			.expectNext(MODEL, "deepseek-ai/DeepSeek-R1")
			.expectComplete()
			.verify(TIMEOUT);
		RecordedRequest recorded = this.server.takeRequest();
		assertThat(recorded.getMethod()).isEqualTo("GET");
		assertThat(recorded.getTarget()).isEqualTo("/v1/models");
	}

	@Test
	void unsupportedParametersAreRefusedBeforeAnythingIsSent() {
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.message(ChatMessage.builder(dev.kluster.boot.model.Role.USER).content("Hi").name("ann").build())
			.n(2)
			.tools(List.of(ToolDefinition.function(new ToolDefinition.FunctionDefinition("f", null, null, null))))
			.build();
		StepVerifier.create(client().chat(request))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(KlusterValidationException.class,
					(validation) -> assertThat(validation.paths()).contains("n", "tools", "messages[0].name")))
			.verify(TIMEOUT);
		StepVerifier.create(client().stream(request))
			.expectError(KlusterValidationException.class)
			.verify(TIMEOUT);
		assertThat(this.server.requestCount()).isZero();
	}

	@Test
	void answerSlowerThanTheResponseTimeoutFailsNamingTheLimit() {
		// No answer at all, so that nothing but the timeout can end the call.
		this.server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
		StepVerifier.create(client(ChatDefaults.model(MODEL), Duration.ofMillis(200)).chat("Hi"))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(KlusterTimeoutException.class,
					(timeout) -> {
						assertThat(timeout.limit()).isEqualTo("kluster.response-timeout");
						assertThat(timeout.timeout()).isEqualTo(Duration.ofMillis(200));
					}))
			.verify(TIMEOUT);
	}

	@Test
	void refusedConnectionFailsWithAConnectionException() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		KlusterChatClient client = client(WebClient.create(), "http://127.0.0.1:" + closedPort + "/v1",
				ChatDefaults.model(MODEL), TIMEOUT);
		StepVerifier.create(client.chat("Hi"))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(KlusterConnectionException.class)
				.hasMessageContaining("127.0.0.1:" + closedPort))
			.verify(TIMEOUT);
	}

	private static final class CountingDeserializer extends DelegatingDeserializer {

		private final AtomicInteger reads;

		CountingDeserializer(ValueDeserializer<?> delegate, AtomicInteger reads) {
			super(delegate);
			this.reads = reads;
		}

		@Override
		protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
			return new CountingDeserializer(delegate, this.reads);
		}

		@Override
		public Object deserialize(JsonParser parser, DeserializationContext context) {
			this.reads.incrementAndGet();
			return super.deserialize(parser, context);
		}

	}

	private static String chunk(String delta, String finishReason) {
		return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1733832777,\"model\":\"" + MODEL
				+ "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason + "}]}";
	}

}
