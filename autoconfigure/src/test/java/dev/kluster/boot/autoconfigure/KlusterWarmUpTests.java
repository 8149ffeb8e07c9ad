package dev.kluster.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.module.SimpleModule;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.client.KlusterEmbeddingClient;
import dev.kluster.boot.model.EmbeddingResponse;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterWebClientCustomizer;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Tests of the warm-up: once the application is ready, in the background, the client is
 * made ready for its first call without sending anything, unless
 * {@code kluster.warm-up.enabled} is {@code false}.
 */
@ExtendWith(OutputCaptureExtension.class)
class KlusterWarmUpTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final KlusterStandIn standIn = KlusterStandIn.start();

	private final AtRefreshEnd atRefreshEnd = new AtRefreshEnd();

	@AfterEach
	void stopStandIn() {
		this.standIn.close();
	}

	@Test
	void warmsTheClientUpInTheBackgroundOnceTheApplicationIsReadyWithoutSendingAnything() {
		try (ConfigurableApplicationContext context = run(App.class)) {
			WebClientsMade made = context.getBean(WebClientsMade.class);
			assertThat(this.atRefreshEnd.webClientsMade).as("WebClients made by the end of the refresh").isZero();
			assertThat(this.atRefreshEnd.warm).as("warm at the end of the refresh").isFalse();
			KlusterConnection connection = context.getBean(KlusterConnection.class);
			await().atMost(TIMEOUT).until(connection::isWarm);
			assertThat(made.threads).singleElement(InstanceOfAssertFactories.STRING).startsWith("kluster-warm-up-");
			assertThat(this.standIn.requestCount()).isZero();
			assertThat(context.getBean(KlusterChatClient.class).chat("Hi").block(TIMEOUT)).isNotEmpty();
			assertThat(this.standIn.requestCount()).isOne();
			assertThat(made.threads).as("the first call uses the WebClient made by the warm-up").hasSize(1);
		}
	}

	@Test
	void warmsTheEmbeddingClientUpBeforeTheConnectionIsWarm() {
		try (ConfigurableApplicationContext context = run(EmbeddingReaderApp.class,
				"--kluster.embedding.model=test/embedding-model")) {
			await().atMost(TIMEOUT).until(context.getBean(KlusterConnection.class)::isWarm);
			EmbeddingReadersMade made = context.getBean(EmbeddingReadersMade.class);
			assertThat(made.threads).as("threads that made the reader of embedding answers")
				.isNotEmpty()
				.allSatisfy((thread) -> assertThat(thread).startsWith("kluster-warm-up-"));
			assertThat(this.standIn.requestCount()).isZero();
			assertThat(context.getBean(KlusterEmbeddingClient.class).embed("Hi").block(TIMEOUT)).isNotEmpty();
			assertThat(made.threads).as("the first call uses the reader made by the warm-up")
				.allSatisfy((thread) -> assertThat(thread).startsWith("kluster-warm-up-"));
		}
	}

	@Test
	void leavesTheClientColdWhenDisabled() {
		try (ConfigurableApplicationContext context = run(App.class, "--kluster.warm-up.enabled=false")) {
			assertThat(context.getBeansOfType(KlusterWarmUp.class)).isEmpty();
			assertThat(context.getBean(KlusterConnection.class).isWarm()).isFalse();
			WebClientsMade made = context.getBean(WebClientsMade.class);
			assertThat(made.threads).isEmpty();
			assertThat(context.getBean(KlusterChatClient.class).chat("Hi").block(TIMEOUT)).isNotEmpty();
			assertThat(made.threads).singleElement().isEqualTo(Thread.currentThread().getName());
		}
	}

	@Test
	void failureIsLoggedAtDebugAndLeavesTheFirstCallToMeetIt(CapturedOutput output) {
		try (ConfigurableApplicationContext context = run(FailingCustomizerApp.class,
				"--logging.level.dev.kluster.boot.autoconfigure.KlusterWarmUp=debug")) {
			await().atMost(TIMEOUT).until(() -> output.getOut().contains("Could not warm the kluster.ai client up"));
			assertThat(output.getOut().lines().filter((line) -> line.contains("Could not warm the kluster.ai client up")))
				.singleElement(InstanceOfAssertFactories.STRING)
				.contains("DEBUG");
			assertThat(output.getOut()).contains("customizer failed");
			assertThat(context.isRunning()).isTrue();
			assertThat(context.getBean(KlusterConnection.class).isWarm()).isFalse();
			assertThatException().isThrownBy(() -> context.getBean(KlusterChatClient.class).chat("Hi").block(TIMEOUT))
				.withMessageContaining("customizer failed");
			assertThat(this.standIn.requestCount()).isZero();
		}
	}

	@Test
	void closingTheContextWaitsForAWarmUpUnderWay() throws InterruptedException {
		CountDownLatch making = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		List<String> ends = new CopyOnWriteArrayList<>();
		KlusterConnection connection = KlusterConnection.builder().webClient(() -> {
			making.countDown();
			awaitQuietly(release);
			ends.add("warm-up");
			return WebClient.create();
		}).build();
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		beans.registerSingleton("klusterConnection", connection);
		KlusterWarmUp warmUp = new KlusterWarmUp(beans.getBeanProvider(KlusterConnection.class),
				beans.getBeanProvider(KlusterChatClient.class), beans.getBeanProvider(KlusterEmbeddingClient.class));
		GenericApplicationContext context = new GenericApplicationContext();
		warmUp.setApplicationContext(context);
		warmUp.onApplicationEvent(new ApplicationReadyEvent(new SpringApplication(), new String[0], context,
				Duration.ZERO));
		assertThat(making.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		Thread closing = new Thread(() -> {
			warmUp.onApplicationEvent(new ContextClosedEvent(context));
			ends.add("close");
		});
		closing.start();
		await().atMost(TIMEOUT)
			.until(() -> closing.getState() == Thread.State.TIMED_WAITING
					|| closing.getState() == Thread.State.TERMINATED);
		release.countDown();
		closing.join(TIMEOUT.toMillis());
		assertThat(ends).containsExactly("warm-up", "close");
		assertThat(connection.isWarm()).isTrue();
	}

	private ConfigurableApplicationContext run(Class<?> app, String... args) {
		SpringApplication application = new SpringApplication(app);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.addListeners(this.atRefreshEnd);
		String[] all = new String[args.length + 2];
		all[0] = "--kluster.api-key=sk-warm-up-secret";
		all[1] = "--kluster.base-url=" + this.standIn.baseUrl();
		System.arraycopy(args, 0, all, 2, args.length);
		return application.run(all);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** What was made when the refresh ended, before the application was ready. */
	static final class AtRefreshEnd implements ApplicationListener<ApplicationStartedEvent> {

		volatile int webClientsMade = -1;

		volatile boolean warm;

		@Override
		public void onApplicationEvent(ApplicationStartedEvent event) {
			this.webClientsMade = event.getApplicationContext().getBean(WebClientsMade.class).threads.size();
			this.warm = event.getApplicationContext().getBean(KlusterConnection.class).isWarm();
		}

	}

	/** Notes the thread on which each WebClient of the connection is made. */
	static final class WebClientsMade implements KlusterWebClientCustomizer {

		final List<String> threads = new CopyOnWriteArrayList<>();

		@Override
		public void customize(WebClient.Builder webClientBuilder) {
			this.threads.add(Thread.currentThread().getName());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		WebClientsMade webClientsMade() {
			return new WebClientsMade();
		}

	}

	/**
	 * Notes the thread on which the JSON mapper makes its reader of embedding answers,
	 * which it makes once and keeps.
	 */
	static final class EmbeddingReadersMade extends ValueDeserializerModifier {

		final List<String> threads = new CopyOnWriteArrayList<>();

		@Override
		public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
				BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
			if (description.getBeanClass() == EmbeddingResponse.class) {
				this.threads.add(Thread.currentThread().getName());
			}
			return deserializer;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(App.class)
	static class EmbeddingReaderApp {

		@Bean
		EmbeddingReadersMade embeddingReadersMade() {
			return new EmbeddingReadersMade();
		}

		@Bean
		JacksonModule embeddingReadersMadeModule(EmbeddingReadersMade made) {
			return new SimpleModule("embedding-readers-made").setDeserializerModifier(made);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(App.class)
	static class FailingCustomizerApp {

		@Bean
		KlusterWebClientCustomizer failingCustomizer() {
			return (builder) -> {
				throw new IllegalStateException("customizer failed");
			};
		}

	}

}
