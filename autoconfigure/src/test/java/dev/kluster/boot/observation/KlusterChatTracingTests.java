package dev.kluster.boot.observation;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import brave.Span;
import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.client.ChatDefaults;
import dev.kluster.boot.client.DefaultKlusterChatClient;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.client.MockKlusterServer;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import org.springframework.web.reactive.function.client.WebClient;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterTimeouts;
import dev.kluster.boot.transport.KlusterRetry;

import static dev.kluster.boot.observation.KlusterChatObservationTests.CHUNK_1;
import static dev.kluster.boot.observation.KlusterChatObservationTests.CHUNK_2;
import static dev.kluster.boot.observation.KlusterChatObservationTests.CHUNK_3_WITH_USAGE;
import static dev.kluster.boot.observation.KlusterChatObservationTests.COMPLETION;
import static dev.kluster.boot.observation.KlusterChatObservationTests.MODEL;
import static dev.kluster.boot.observation.KlusterChatObservationTests.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The spans a tracing bridge makes of kluster.ai client calls: Micrometer Tracing's Brave
 * bridge with the handlers Boot registers, and the finished spans collected in memory.
 */
class KlusterChatTracingTests {

	@RegisterExtension
	final MockKlusterServer server = new MockKlusterServer();

	private final List<MutableSpan> spans = new CopyOnWriteArrayList<>();

	private final ObservationRegistry registry = ObservationRegistry.create();

	private final JsonMapper jsonMapper = JsonMapper.shared();

	private Tracing tracing;

	@BeforeEach
	void registerTracingHandlers() {
		this.tracing = Tracing.newBuilder()
			.currentTraceContext(ThreadLocalCurrentTraceContext.create())
			.addSpanHandler(new SpanHandler() {

				@Override
				public boolean end(TraceContext context, MutableSpan span, Cause cause) {
					KlusterChatTracingTests.this.spans.add(span);
					return true;
				}

			})
			.build();
		BraveTracer tracer = new BraveTracer(this.tracing.tracer(),
				new BraveCurrentTraceContext(this.tracing.currentTraceContext()));
		this.registry.observationConfig()
			.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
					new PropagatingSenderTracingObservationHandler<>(tracer, new BravePropagator(this.tracing)),
					new DefaultTracingObservationHandler(tracer)));
	}

	@AfterEach
	void closeTracing() {
		this.tracing.close();
	}

	private KlusterChatClient client(KlusterObservations observations) {
		WebClient webClient = WebClient.builder()
			.baseUrl(this.server.baseUrl())
			.observationRegistry(this.registry)
			.build();
		KlusterConnection connection = KlusterConnection.builder()
			.webClient(webClient)
			.baseUrl(this.server.baseUrl())
			.jsonMapper(this.jsonMapper)
			.observations(observations)
			.build();
		return DefaultKlusterChatClient.builder(connection)
			.defaults(ChatDefaults.model(MODEL))
			.timeouts(KlusterTimeouts.of(TIMEOUT))
			.retry(KlusterRetry.none())
			.build();
	}

	private KlusterChatClient client() {
		return client(KlusterObservations.of(this.registry, this.server.baseUrl()));
	}

	private static ChatCompletionRequest question() {
		return ChatCompletionRequest.builder().message(ChatMessage.user("Capital of France?")).temperature(0.2).build();
	}

	@Test
	void completionIsAClientSpanNamedAfterOperationAndModelWithTheHttpSpanInside() {
		this.server.enqueueJson(200, COMPLETION);
		StepVerifier.create(client().chat(question())).expectNextCount(1).expectComplete().verify(TIMEOUT);
		MutableSpan chat = span("chat " + MODEL);
		assertThat(chat.kind()).isEqualTo(Span.Kind.CLIENT);
		assertThat(chat.parentId()).isNull();
		assertThat(chat.remoteServiceName()).isEqualTo("kluster");
		assertThat(chat.remoteIp()).isEqualTo("127.0.0.1");
		assertThat(chat.tags()).containsEntry("gen_ai.operation.name", "chat")
			.containsEntry("gen_ai.provider.name", "kluster")
			.containsEntry("gen_ai.request.model", MODEL)
			.containsEntry("gen_ai.response.id", "chatcmpl-1")
			.containsEntry("gen_ai.request.temperature", "0.2")
			.containsEntry("gen_ai.usage.output_tokens", "2")
			.doesNotContainKey("gen_ai.input.messages");
		MutableSpan http = httpSpan();
		assertThat(http.traceId()).isEqualTo(chat.traceId());
		assertThat(http.parentId()).isEqualTo(chat.id());
	}

	@Test
	void streamIsAClientSpanWithTheHttpSpanInside() {
		this.server.enqueueStream(MockKlusterServer.sse(CHUNK_1, CHUNK_2, CHUNK_3_WITH_USAGE, "[DONE]"), 32);
		StepVerifier.create(client().stream(question())).expectNextCount(3).expectComplete().verify(TIMEOUT);
		MutableSpan chat = span("chat " + MODEL);
		assertThat(chat.kind()).isEqualTo(Span.Kind.CLIENT);
		assertThat(chat.tags()).containsEntry("gen_ai.request.stream", "true")
			.containsKey("gen_ai.response.time_to_first_chunk")
			.containsEntry("gen_ai.response.finish_reasons", "[\"stop\"]");
		MutableSpan http = httpSpan();
		assertThat(http.traceId()).isEqualTo(chat.traceId());
		assertThat(http.parentId()).isEqualTo(chat.id());
	}

	// As under Spring AI's ChatClient, or in a servlet request: the caller's span is current
	// on the thread that subscribes, and must not take the HTTP span from the chat span.
	@Test
	void blockingCallInsideTheCallersOpenSpanHasTheHttpSpanInsideTheChatSpan() {
		this.server.enqueueJson(200, COMPLETION);
		Observation caller = Observation.start("caller", this.registry);
		try (Observation.Scope scope = caller.openScope()) {
			assertThat(client().chat(question()).block(TIMEOUT)).isNotNull();
		}
		caller.stop();
		MutableSpan chat = span("chat " + MODEL);
		assertThat(chat.parentId()).isEqualTo(span("caller").id());
		assertThat(httpSpan().parentId()).isEqualTo(chat.id());
	}

	@Test
	void failedCallIsAnErrorSpan() {
		this.server.enqueueJson(503, "{\"error\":{\"message\":\"overloaded\"}}");
		StepVerifier.create(client().chat(question())).expectError().verify(TIMEOUT);
		MutableSpan chat = span("chat " + MODEL);
		assertThat(chat.error()).isNotNull();
		assertThat(chat.tags()).containsEntry("error.type", "dev.kluster.boot.error.KlusterServerException");
	}

	@Test
	void cancelledStreamIsAnEndedSpanWithACancelEventAndNoError() {
		this.server.enqueueStream(MockKlusterServer.sse(CHUNK_1, CHUNK_2, CHUNK_2, CHUNK_2, CHUNK_3_WITH_USAGE, "[DONE]"),
				8);
		StepVerifier.create(client().stream(question()).take(1)).expectNextCount(1).expectComplete().verify(TIMEOUT);
		MutableSpan chat = span("chat " + MODEL);
		assertThat(chat.error()).isNull();
		assertThat(chat.tags()).doesNotContainKey("error");
		assertThat(chat.finishTimestamp()).isPositive();
		assertThat(chat.annotations()).extracting((event) -> event.getValue()).contains("cancelled");
	}

	@Test
	void contentIsOnTheSpanWhenTurnedOn() {
		this.server.enqueueJson(200, COMPLETION);
		KlusterChatClient client = client(
				KlusterObservations.of(this.registry, this.server.baseUrl()).withContentRecorded(true));
		StepVerifier.create(client.chat(question())).expectNextCount(1).expectComplete().verify(TIMEOUT);
		assertThat(span("chat " + MODEL).tags())
			.containsEntry("gen_ai.input.messages",
					"[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Capital of France?\"}]}]")
			.containsKey("gen_ai.output.messages");
	}

	@Test
	void spanKeepsTheExactModelWhenTheMeterTagIsBounded() {
		this.server.enqueueJson(200, COMPLETION);
		KlusterChatClient client = client(KlusterObservations.of(this.registry, this.server.baseUrl())
			.withDefaultChatConvention(new DefaultKlusterChatObservationConvention(0)));
		StepVerifier.create(client.chat(question())).expectNextCount(1).expectComplete().verify(TIMEOUT);
		assertThat(span("chat " + MODEL).tags()).containsEntry("gen_ai.request.model", MODEL)
			.containsEntry("gen_ai.response.model", MODEL);
	}

	private MutableSpan span(String name) {
		List<MutableSpan> named = this.spans.stream().filter((span) -> name.equals(span.name())).toList();
		assertThat(named).as("spans named %s among %s", name, this.spans).hasSize(1);
		return named.get(0);
	}

	// The HTTP span may end just after the call's span: WebClient stops its observation when
	// the body is released, which can follow the last signal.
	private MutableSpan httpSpan() {
		List<MutableSpan> http = await().atMost(TIMEOUT)
			.until(() -> this.spans.stream()
				.filter((span) -> span.name() != null && span.name().startsWith("http"))
				.toList(), (found) -> !found.isEmpty());
		assertThat(http).as("HTTP spans among %s", this.spans).hasSize(1);
		return http.get(0);
	}

}
