package dev.kluster.boot.benchmarks.perf;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import reactor.core.Disposable;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.transport.KlusterRateLimit;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The project's client as applications get it: the {@link KlusterChatClient} bean of
 * the auto-configuration, in a Boot application without a web server. One application
 * per stub endpoint, since the base URL is a property. "Observed" is the same application
 * run with {@code spring-boot-starter-actuator} on its classpath (see
 * {@code run-performance.sh}): Boot's own {@link ObservationRegistry}, {@link MeterRegistry},
 * meter observation handlers and {@code WebClient} observation, as nearly every production
 * application has them. "Paced" is the plain application with budgets of
 * {@code kluster.rate-limit.*} so large that no call waits: what the local pacer costs.
 */
final class KlusterClient implements BenchClient {

	private final Map<String, ConfigurableApplicationContext> contexts = new HashMap<>();

	private final Map<String, KlusterChatClient> clients = new HashMap<>();

	KlusterClient(String address, boolean observed) {
		for (String target : new String[] { "chat", "s50", "s2000", "trickle" }) {
			SpringApplicationBuilder builder = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
				.logStartupInfo(false)
				.properties("spring.main.banner-mode=off", "kluster.api-key=bench",
						"kluster.base-url=" + address + "/" + target + "/v1");
			if ("kluster-paced".equals(System.getProperty("bench.client"))) {
				// Budgets far above what the loop sends: every call passes the pacer of
				// kluster.rate-limit.* (a reservation on each budget, the token estimate and
				// its correction) without waiting, so the row shows what the pacer costs.
				builder.properties("kluster.rate-limit.requests-per-minute=1000000000",
						"kluster.rate-limit.tokens-per-minute=" + KlusterRateLimit.MAX_PER_MINUTE);
			}
			ConfigurableApplicationContext context = builder.run();
			// The row must measure what it is named after: a classpath mix-up would
			// otherwise show as a suspiciously cheap or dear row.
			boolean meters = context.getBeanNamesForType(MeterRegistry.class).length > 0
					&& context.getBeanNamesForType(ObservationRegistry.class).length > 0;
			if (meters != observed) {
				throw new IllegalStateException((observed ? "No" : "An") + " ObservationRegistry and MeterRegistry in the "
						+ (observed ? "observed" : "plain") + " application: check its classpath");
			}
			this.contexts.put(target, context);
			this.clients.put(target, context.getBean(KlusterChatClient.class));
		}
	}

	private static ChatCompletionRequest request() {
		return ChatCompletionRequest.builder()
			.model(MODEL)
			.message(ChatMessage.user(PROMPT))
			.maxCompletionTokens(MAX_TOKENS)
			.build();
	}

	@Override
	public void chat(Call call) {
		this.clients.get("chat")
			.chat(request())
			.subscribe((completion) -> call.done(null, 1), (error) -> call.done(error, 0));
	}

	@Override
	public Runnable stream(String target, Call call) {
		int[] count = new int[1];
		Disposable subscription = this.clients.get(target).stream(request()).subscribe((chunk) -> {
			if (count[0]++ == 0) {
				call.first();
			}
		}, (error) -> call.done(error, count[0]), () -> call.done(null, count[0]));
		return subscription::dispose;
	}

	@Override
	public void close() {
		this.contexts.values().forEach(ConfigurableApplicationContext::close);
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}
