package dev.kluster.docs.gettingstarted;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.model.ChatCompletionChunk;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.KlusterModel;
import dev.kluster.boot.model.QueuedChatCompletion;
import dev.kluster.boot.model.Usage;
import dev.kluster.boot.test.AutoConfigureKlusterStandIn;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.test.RecordedRequest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the snippets of getting-started.md against the stand-in, in a WebFlux application
 * made of the page's services, controller and configuration.
 */
@SpringBootTest(classes = GettingStartedSnippetsTests.Application.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureKlusterStandIn
@AutoConfigureWebTestClient
class GettingStartedSnippetsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Autowired
	KlusterStandIn standIn;

	@Autowired
	KlusterChatClient kluster;

	@Autowired
	AnswerService answerService;

	@Autowired
	SummaryService summaryService;

	@Autowired
	WebTestClient web;

	@Test
	void answerServiceAsksTheDefaultModel() {
		this.standIn.answer("Forty-two.");
		assertThat(this.answerService.answer("What is the answer?").block(TIMEOUT)).isEqualTo("Forty-two.");
		assertThat(this.standIn.lastRequest().json().get("model").asString())
			.isEqualTo("klusterai/Meta-Llama-3.1-8B-Instruct-Turbo");
	}

	@Test
	void summaryServiceSendsItsModelAndSamplingParameters() {
		this.standIn.answer("Short.");
		assertThat(this.summaryService.summarize("A long text.").block(TIMEOUT)).isEqualTo("Short.");
		RecordedRequest sent = this.standIn.lastRequest();
		assertThat(sent.json().get("model").asString()).isEqualTo("klusterai/Meta-Llama-3.3-70B-Instruct-Turbo");
		assertThat(sent.json().get("max_completion_tokens").asInt()).isEqualTo(300);
		assertThat(sent.json().get("messages")).hasSize(2);
	}

	@Test
	void streamingSnippetsGiveTheAnswerAndItsUsage() {
		this.standIn.answer("Waves fold on the shore");
		GettingStartedSnippets snippets = new GettingStartedSnippets(this.kluster);
		String streamed = snippets.streaming("The sea?").map(ChatCompletionChunk::text).collectList()
			.map((texts) -> String.join("", texts)).block(TIMEOUT);
		assertThat(streamed).isEqualTo("Waves fold on the shore");
		assertThat(snippets.streamingText().collectList().block(TIMEOUT)).containsExactly("Waves", " fold", " on",
				" the", " shore");
		Usage usage = snippets.printAndCount(ChatCompletionRequest.builder().message(ChatMessage.user("Hi")).build())
			.block(TIMEOUT);
		assertThat(usage).isNotNull();
		assertThat(usage.completionTokens()).isEqualTo(5);
	}

	@Test
	void serverSentEventsKeepTheSpacesThatStartPiecesOfText() {
		this.standIn.answer("Hello big world");
		List<String> texts = this.web.get()
			.uri("/chat?question=hi")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(ChatController.Piece.class)
			.getResponseBody()
			.map(ChatController.Piece::text)
			.collectList()
			.block(TIMEOUT);
		// A browser reads events as this client does: one space after "data:" is dropped.
		assertThat(String.join("", texts)).isEqualTo("Hello big world");
	}

	@Test
	void namedServerSentEventsEndWithDoneAndKeepSpaces() {
		this.standIn.answer("Hello big world");
		Flux<ServerSentEvent<ChatController.Piece>> events = this.web.get()
			.uri("/chat/events?question=hi")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<ChatController.Piece>>() {
			})
			.getResponseBody();
		List<ServerSentEvent<ChatController.Piece>> received = events.collectList().block(TIMEOUT);
		assertThat(received).extracting(ServerSentEvent::event).containsExactly("text", "text", "text", "done");
		assertThat(received.subList(0, 3)).extracting((event) -> event.data().text())
			.containsExactly("Hello", " big", " world");
	}

	@Test
	void namedServerSentEventsReportAFailureAsAnErrorEvent() {
		this.standIn.dropStreamAfter(2);
		List<String> names = this.web.get()
			.uri("/chat/events?question=hi")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<ChatController.Piece>>() {
			})
			.getResponseBody()
			.map(ServerSentEvent::event)
			.collectList()
			.block(TIMEOUT);
		assertThat(names).last().isEqualTo("error");
	}

	@Test
	void visionAsyncModelsAndExtraBodySnippetsSendWhatThePageSays() {
		GettingStartedSnippets snippets = new GettingStartedSnippets(this.kluster);
		this.standIn.acceptAnyModel();
		this.standIn.answer("A cat.");
		assertThat(snippets.vision().block(TIMEOUT)).isEqualTo("A cat.");
		assertThat(this.standIn.lastRequest().json().at("/messages/0/content/1/image_url/url").asString())
			.isEqualTo("https://example.com/cat.png");
		assertThat(snippets.visionDetail().imageUrl().detail()).isEqualTo("low");

		StepVerifier.create(snippets.async("an invoice")).expectNextCount(1).expectComplete().verify(TIMEOUT);
		assertThat(this.standIn.lastRequest().json().at("/metadata/@kluster.ai/completion_window").asString())
			.isEqualTo("24h");
		assertThat(this.standIn.lastRequest().json().at("/metadata/team").asString()).isEqualTo("search");

		QueuedChatCompletion job = snippets.submitAsync().block(TIMEOUT);
		assertThat(job.notice()).isEqualTo(KlusterStandIn.QUEUED_ANSWER);
		assertThat(this.standIn.lastRequest().json().at("/metadata/@kluster.ai/async").asBoolean()).isTrue();
		assertThat(this.standIn.lastRequest().json().at("/metadata/@kluster.ai/completion_window").asString())
			.isEqualTo("48h");

		assertThat(snippets.models().block(TIMEOUT)).extracting(KlusterModel::id).isNotEmpty();

		this.kluster.chat(snippets.extraBody()).block(TIMEOUT);
		assertThat(this.standIn.lastRequest().json().get("repetition_penalty").asDouble()).isEqualTo(1.1);
	}

	@Test
	void customizersAndTheConnectorCustomizerReachTheKlusterRequests() {
		this.answerService.answer("Hi").block(TIMEOUT);
		RecordedRequest sent = this.standIn.lastRequest();
		assertThat(sent.header("X-Team")).isEqualTo("search");
		assertThat(sent.header("X-Gateway-Route")).isEqualTo("ai");
		assertThat(sent.header("Authorization")).isEqualTo("Bearer test-key");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ AnswerService.class, SummaryService.class, ChatController.class, KlusterClientConfig.class,
			HttpClientConfig.class })
	static class Application {

	}

}
