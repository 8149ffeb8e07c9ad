package dev.kluster.boot.ai;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContext;
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

import dev.kluster.boot.client.DefaultKlusterChatClient;
import dev.kluster.boot.observation.KlusterObservations;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.test.KlusterStandInExtension;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterRetry;
import dev.kluster.boot.transport.KlusterTimeouts;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The spans of a call through Spring AI's {@link ChatClient} to {@link KlusterChatModel},
 * with Micrometer Tracing's Brave bridge: one chat span per call, the client's, inside
 * {@code ChatClient}'s own span.
 */
class KlusterChatModelTracingTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String CHAT_SPAN = "chat klusterai/Meta-Llama-3.1-8B-Instruct-Turbo";

	@RegisterExtension
	static final KlusterStandInExtension standInExtension = new KlusterStandInExtension();

	private final List<MutableSpan> spans = new CopyOnWriteArrayList<>();

	private final ObservationRegistry registry = ObservationRegistry.create();

	private Tracing tracing;

	@BeforeEach
	void registerTracingHandlers() {
		this.tracing = Tracing.newBuilder()
			.currentTraceContext(ThreadLocalCurrentTraceContext.create())
			.addSpanHandler(new SpanHandler() {

				@Override
				public boolean end(TraceContext context, MutableSpan span, Cause cause) {
					KlusterChatModelTracingTests.this.spans.add(span);
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

	private ChatClient chatClient(KlusterStandIn standIn) {
		KlusterConnection connection = KlusterConnection.builder()
			.apiKey("test-key")
			.baseUrl(standIn.baseUrl())
			.webClient(WebClient.builder().baseUrl(standIn.baseUrl()).observationRegistry(this.registry).build())
			.observations(KlusterObservations.of(this.registry, standIn.baseUrl()))
			.build();
		KlusterChatModel model = KlusterChatModel.builder(DefaultKlusterChatClient.builder(connection)
			.timeouts(KlusterTimeouts.of(TIMEOUT))
			.retry(KlusterRetry.none())
			.build()).build();
		return ChatClient.create(model, this.registry);
	}

	@Test
	void callIsOneChatSpanInsideTheChatClientSpan(KlusterStandIn standIn) {
		standIn.answer("Paris.");
		assertThat(chatClient(standIn).prompt().user("Capital of France?").call().content()).isEqualTo("Paris.");
		assertOneChatSpanInsideTheChatClientSpan("call");
	}

	@Test
	void streamIsOneChatSpanInsideTheChatClientSpan(KlusterStandIn standIn) {
		standIn.answer("Paris is the capital.");
		StepVerifier.create(chatClient(standIn).prompt().user("Capital of France?").stream().content())
			.expectNextCount(4)
			.expectComplete()
			.verify(TIMEOUT);
		assertOneChatSpanInsideTheChatClientSpan("stream");
	}

	// ChatClient's span, its advisors' (the last calls the model), the chat span, the HTTP span.
	private void assertOneChatSpanInsideTheChatClientSpan(String lastAdvisor) {
		// The HTTP span may end just after the others: wait for all of the call's spans.
		await().atMost(TIMEOUT).until(() -> this.spans.stream().anyMatch((span) -> span.name() != null && span.name().startsWith("http")));
		List<MutableSpan> chatSpans = this.spans.stream()
			.filter((span) -> "chat".equals(span.tag("gen_ai.operation.name")))
			.toList();
		assertThat(chatSpans).as("chat spans among %s", this.spans).hasSize(1);
		MutableSpan chat = chatSpans.get(0);
		assertThat(chat.name()).isEqualTo(CHAT_SPAN);
		assertThat(chat.tag("gen_ai.provider.name")).isEqualTo("kluster");
		MutableSpan chatClient = this.spans.stream()
			.filter((span) -> span.name() != null && span.name().contains("chat_client"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no ChatClient span among " + this.spans));
		MutableSpan advisor = parentOf(chat);
		assertThat(advisor.name()).isEqualTo(lastAdvisor);
		MutableSpan root = advisor;
		while (root.parentId() != null) {
			root = parentOf(root);
		}
		assertThat(root.id()).isEqualTo(chatClient.id());
		MutableSpan http = this.spans.stream()
			.filter((span) -> span.name() != null && span.name().startsWith("http"))
			.findFirst()
			.orElseThrow();
		assertThat(http.parentId()).isEqualTo(chat.id());
	}

	private MutableSpan parentOf(MutableSpan span) {
		return this.spans.stream()
			.filter((each) -> each.id().equals(span.parentId()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no parent of " + span + " among " + this.spans));
	}

}
