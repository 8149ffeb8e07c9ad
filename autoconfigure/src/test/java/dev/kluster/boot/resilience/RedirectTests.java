package dev.kluster.boot.resilience;

import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;

import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kluster.boot.autoconfigure.KlusterProperties;
import dev.kluster.boot.batch.DefaultKlusterBatchClient;
import dev.kluster.boot.batch.KlusterBatchClient;
import dev.kluster.boot.client.DefaultKlusterChatClient;
import dev.kluster.boot.error.KlusterApiException;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.error.KlusterRedirectException;
import dev.kluster.boot.client.MockKlusterServer;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterRetry;
import dev.kluster.boot.model.BatchRequest;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.KlusterFile;
import dev.kluster.boot.model.KlusterModel;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of where a redirect takes a request: within kluster.ai's origin it is followed
 * with the key; to another origin (here the same address on another port) it is followed
 * without the key, and only for a request without a body unless
 * {@code kluster.follow-cross-origin-redirects} allows it. Chat and batch calls follow
 * the same rule, on the auto-configured connection and on one built by hand.
 */
class RedirectTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String COMPLETION = LocalKluster.COMPLETION;

	private static final String FILE = """
			{"id": "file-1", "object": "file", "bytes": 120, "created_at": 1677610602,
			 "filename": "batch.jsonl", "purpose": "batch"}""";

	@RegisterExtension
	final MockKlusterServer kluster = new MockKlusterServer();

	@RegisterExtension
	final MockKlusterServer other = new MockKlusterServer();

	private ApplicationContextRunner runner() {
		return KlusterContexts.runner(this.kluster.baseUrl()).withPropertyValues("kluster.retry.enabled=false");
	}

	private void redirect(int status, String location) {
		this.kluster.enqueue(new MockResponse.Builder().code(status).setHeader("Location", location).build());
	}

	private Consumer<Throwable> redirectedTo(String location) {
		return (ex) -> {
			assertThat(ex).isInstanceOf(KlusterRedirectException.class)
				.hasMessageContaining(location)
				.hasMessageContaining("kluster.follow-cross-origin-redirects")
				.hasMessageNotContaining(LocalKluster.KEY);
			assertThat(((KlusterRedirectException) ex).location()).isEqualTo(URI.create(location));
			assertThat(((KlusterRedirectException) ex).attempts()).isEqualTo(1);
		};
	}

	@Test
	void followingCrossOriginRedirectsIsOffUnlessThePropertyTurnsItOn() {
		runner().run((context) -> assertThat(context.getBean(KlusterProperties.class).isFollowCrossOriginRedirects())
			.isFalse());
		runner().withPropertyValues("kluster.follow-cross-origin-redirects=true")
			.run((context) -> assertThat(context.getBean(KlusterProperties.class).isFollowCrossOriginRedirects())
				.isTrue());
	}

	@ParameterizedTest
	@ValueSource(ints = { 301, 302, 303, 307, 308 })
	void promptRedirectedToAnotherOriginIsNotSentThereNorRetriedByDefault(int status) throws InterruptedException {
		String target = this.other.baseUrl() + "/chat/completions";
		redirect(status, target);
		this.other.enqueueJson(200, COMPLETION);
		KlusterContexts.runner(this.kluster.baseUrl())
			.run((context) -> StepVerifier.create(context.getBean(KlusterChatClient.class).chat("secret prompt"))
				.expectErrorSatisfies(redirectedTo(target))
				.verify(TIMEOUT));
		assertThat(this.kluster.takeRequest().getHeaders().get("Authorization"))
			.isEqualTo("Bearer " + LocalKluster.KEY);
		assertThat(this.kluster.requestCount()).isOne();
		assertThat(this.other.requestCount()).isZero();
	}

	@Test
	void refusedRedirectWhoseTargetEchoesTheKeyNamesItWithoutTheKey() {
		String target = this.other.baseUrl() + "/chat/completions?echo=" + LocalKluster.KEY;
		redirect(307, target);
		runner().run((context) -> StepVerifier.create(context.getBean(KlusterChatClient.class).chat("secret prompt"))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(KlusterRedirectException.class)
				.hasMessageContaining(this.other.baseUrl() + "/chat/completions?echo=***")
				.hasMessageNotContaining(LocalKluster.KEY)
				.extracting((redirect) -> ((KlusterRedirectException) redirect).location().toString())
				.asString()
				.doesNotContain(LocalKluster.KEY))
			.verify(TIMEOUT));
		assertThat(this.other.requestCount()).isZero();
	}

	@Test
	void promptRedirectedToAnotherOriginIsNotSentThereThroughTheApplicationsOwnConnector() {
		String target = this.other.baseUrl() + "/chat/completions";
		redirect(307, target);
		this.other.enqueueJson(200, COMPLETION);
		runner().withBean(ClientHttpConnector.class,
				() -> new ReactorClientHttpConnector(HttpClient.create().followRedirect(true)))
			.run((context) -> StepVerifier.create(context.getBean(KlusterChatClient.class).chat("secret prompt"))
				.expectErrorSatisfies(redirectedTo(target))
				.verify(TIMEOUT));
		assertThat(this.other.requestCount()).isZero();
	}

	@Test
	void streamRedirectedToAnotherOriginIsNotSentThereByDefault() {
		String target = this.other.baseUrl() + "/chat/completions";
		redirect(307, target);
		runner().run((context) -> StepVerifier.create(context.getBean(KlusterChatClient.class).stream("secret prompt"))
			.expectErrorSatisfies(redirectedTo(target))
			.verify(TIMEOUT));
		assertThat(this.other.requestCount()).isZero();
	}

	@Test
	void batchUploadRedirectedToAnotherOriginIsNotSentThereByDefault() {
		String target = this.other.baseUrl() + "/files";
		redirect(307, target);
		BatchRequest request = BatchRequest.of("q-1",
				ChatCompletionRequest.builder().message(ChatMessage.user("secret prompt")).build());
		runner().run((context) -> StepVerifier
			.create(context.getBean(KlusterBatchClient.class).upload(Flux.just(request)))
			.expectErrorSatisfies(redirectedTo(target))
			.verify(TIMEOUT));
		assertThat(this.other.requestCount()).isZero();
	}

	@ParameterizedTest
	@ValueSource(ints = { 307, 308 })
	void batchUploadFollowsARedirectToAnotherOriginWithoutTheKeyWhenAllowedAsAPromptDoes(int status)
			throws InterruptedException {
		redirect(status, this.other.baseUrl() + "/files");
		this.other.enqueueJson(200, FILE);
		runner().withPropertyValues("kluster.follow-cross-origin-redirects=true")
			.run((context) -> StepVerifier
				.create(context.getBean(KlusterBatchClient.class).upload(Flux.just(question())).map(KlusterFile::id))
				.expectNext("file-1")
				.expectComplete()
				.verify(TIMEOUT));
		assertThat(this.kluster.takeRequest().getHeaders().get("Authorization"))
			.isEqualTo("Bearer " + LocalKluster.KEY);
		RecordedRequest redirected = this.other.takeRequest();
		assertThat(redirected.getMethod()).isEqualTo("POST");
		assertThat(redirected.getBody().utf8()).contains("secret prompt");
		assertThat(redirected.getHeaders().get("Authorization")).isNull();
	}

	@Test
	void batchCallWithoutBodyFollowsARedirectToAnotherOriginWithoutTheKeyAsAModelListDoes()
			throws InterruptedException {
		redirect(307, this.other.baseUrl() + "/files/file-1");
		this.other.enqueueJson(200, FILE);
		runner().run((context) -> StepVerifier
			.create(context.getBean(KlusterBatchClient.class).file("file-1").map(KlusterFile::id))
			.expectNext("file-1")
			.expectComplete()
			.verify(TIMEOUT));
		this.kluster.takeRequest();
		RecordedRequest redirected = this.other.takeRequest();
		assertThat(redirected.getMethod()).isEqualTo("GET");
		assertThat(redirected.getHeaders().get("Authorization")).isNull();
	}

	@Test
	void connectionBuiltByHandRefusesCrossOriginRedirectsOfPromptsAndUploadsAlike() {
		redirect(307, this.other.baseUrl() + "/chat/completions");
		redirect(307, this.other.baseUrl() + "/files");
		KlusterConnection connection = KlusterConnection.builder()
			.apiKey(LocalKluster.KEY)
			.baseUrl(this.kluster.baseUrl())
			.build();
		StepVerifier.create(DefaultKlusterChatClient.builder(connection).retry(KlusterRetry.none()).build()
				.chat("secret prompt"))
			.expectErrorSatisfies(redirectedTo(this.other.baseUrl() + "/chat/completions"))
			.verify(TIMEOUT);
		StepVerifier.create(DefaultKlusterBatchClient.builder(connection).build().upload(Flux.just(question())))
			.expectErrorSatisfies(redirectedTo(this.other.baseUrl() + "/files"))
			.verify(TIMEOUT);
		assertThat(this.other.requestCount()).isZero();
	}

	private static BatchRequest question() {
		return BatchRequest.of("q-1", ChatCompletionRequest.builder().message(ChatMessage.user("secret prompt")).build());
	}

	@ParameterizedTest
	@ValueSource(ints = { 307, 308 })
	void promptFollowsARedirectToAnotherOriginWithoutTheKeyWhenAllowed(int status) throws InterruptedException {
		redirect(status, this.other.baseUrl() + "/chat/completions");
		this.other.enqueueJson(200, COMPLETION);
		runner().withPropertyValues("kluster.follow-cross-origin-redirects=true")
			.run((context) -> StepVerifier.create(context.getBean(KlusterChatClient.class).chat("secret prompt"))
				.expectNext("Hello there")
				.expectComplete()
				.verify(TIMEOUT));
		assertThat(this.kluster.takeRequest().getHeaders().get("Authorization"))
			.isEqualTo("Bearer " + LocalKluster.KEY);
		RecordedRequest redirected = this.other.takeRequest();
		assertThat(redirected.getMethod()).isEqualTo("POST");
		assertThat(redirected.getBody().utf8()).contains("secret prompt");
		assertThat(redirected.getHeaders().get("Authorization")).isNull();
	}

	@Test
	void requestWithoutBodyFollowsARedirectToAnotherOriginWithoutTheKey() throws InterruptedException {
		redirect(307, this.other.baseUrl() + "/models");
		this.other.enqueueJson(200, "{\"object\":\"list\",\"data\":[{\"id\":\"klusterai/Meta-Llama-3.1-8B-Instruct-Turbo\","
				+ "\"object\":\"model\",\"created\":1733832777,\"owned_by\":\"klusterai\"}]}");
		runner().run((context) -> StepVerifier
			.create(context.getBean(KlusterChatClient.class).models().map(KlusterModel::id))
			.expectNext("klusterai/Meta-Llama-3.1-8B-Instruct-Turbo")
			.expectComplete()
			.verify(TIMEOUT));
		assertThat(this.kluster.takeRequest().getHeaders().get("Authorization"))
			.isEqualTo("Bearer " + LocalKluster.KEY);
		RecordedRequest redirected = this.other.takeRequest();
		assertThat(redirected.getMethod()).isEqualTo("GET");
		assertThat(redirected.getHeaders().get("Authorization")).isNull();
	}

	@ParameterizedTest
	@ValueSource(ints = { 307, 308 })
	void promptFollowsARedirectWithinKlustersOriginWithTheKey(int status) throws InterruptedException {
		redirect(status, this.kluster.baseUrl() + "/chat/completions?moved=1");
		this.kluster.enqueueJson(200, COMPLETION);
		runner().run((context) -> StepVerifier.create(context.getBean(KlusterChatClient.class).chat("secret prompt"))
			.expectNext("Hello there")
			.expectComplete()
			.verify(TIMEOUT));
		this.kluster.takeRequest();
		RecordedRequest redirected = this.kluster.takeRequest();
		assertThat(redirected.getTarget()).endsWith("/chat/completions?moved=1");
		assertThat(redirected.getBody().utf8()).contains("secret prompt");
		assertThat(redirected.getHeaders().get("Authorization")).isEqualTo("Bearer " + LocalKluster.KEY);
		assertThat(this.other.requestCount()).isZero();
	}


	@Test
	void redirectTheHttpClientDoesNotFollowFailsAChatNamingTheTarget() {
		String target = this.other.baseUrl() + "/chat/completions";
		redirect(307, target);
		notFollowingRedirects().run((context) -> StepVerifier
			.create(context.getBean(KlusterChatClient.class).chat("secret prompt"))
			.expectErrorSatisfies(notFollowed(target))
			.verify(TIMEOUT));
		assertThat(this.other.requestCount()).isZero();
	}

	@Test
	void redirectTheHttpClientDoesNotFollowFailsABatchCallNamingTheTarget() {
		BatchRequest request = BatchRequest.of("q-1",
				ChatCompletionRequest.builder().message(ChatMessage.user("secret prompt")).build());
		redirect(307, this.other.baseUrl() + "/files");
		redirect(308, this.other.baseUrl() + "/batches/b-1");
		notFollowingRedirects().run((context) -> {
			KlusterBatchClient client = context.getBean(KlusterBatchClient.class);
			StepVerifier.create(client.upload(Flux.just(request)))
				.expectErrorSatisfies(notFollowed(this.other.baseUrl() + "/files"))
				.verify(TIMEOUT);
			StepVerifier.create(client.retrieve("b-1"))
				.expectErrorSatisfies(notFollowed(this.other.baseUrl() + "/batches/b-1"))
				.verify(TIMEOUT);
		});
		assertThat(this.other.requestCount()).isZero();
	}

	// Reactor Netty's own default, and Boot's spring.http.clients.redirects=dont-follow.
	private ApplicationContextRunner notFollowingRedirects() {
		return runner().withBean(ClientHttpConnector.class,
				() -> new ReactorClientHttpConnector(HttpClient.create().followRedirect(false)));
	}

	private static Consumer<Throwable> notFollowed(String location) {
		return (ex) -> assertThat(ex).isInstanceOf(KlusterApiException.class)
			.hasMessageContaining("HTTP 30")
			.hasMessageContaining(location)
			.hasMessageNotContaining(LocalKluster.KEY);
	}

}
