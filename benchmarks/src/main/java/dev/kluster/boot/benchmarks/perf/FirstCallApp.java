package dev.kluster.boot.benchmarks.perf;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.transport.KlusterConnection;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The latency of the first chat call after start-up, once per JVM: starts
 * {@link StartupApp}'s application against the stub's {@code /chat} endpoint, with the
 * warm-up ({@code warm}) or with {@code kluster.warm-up.enabled=false} ({@code cold}),
 * waits for the settle point, times the first call and then {@value #WARM_CALLS} more, and
 * prints the first call's time and the median of the others.
 * <p>
 * The settle point is the same in both variants: {@value #SETTLE_MILLIS} ms after
 * {@code SpringApplication.run} returned (the application is ready), or the end of the
 * warm-up ({@link KlusterConnection#isWarm()}) if that is later. So both make their first
 * call at the same time after start-up, and what differs is only whether the warm-up ran.
 * Arguments: the variant and the stub's base address (http://127.0.0.1:port).
 */
public final class FirstCallApp {

	static final int WARM_CALLS = 20;

	static final long SETTLE_MILLIS = 2000;

	// The warm-up takes about a second: one that has not ended by then has failed.
	private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(30);

	private FirstCallApp() {
	}

	public static void main(String[] args) throws Exception {
		boolean warm = "warm".equals(args[0]);
		SpringApplicationBuilder builder = new SpringApplicationBuilder(StartupApp.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties("spring.main.banner-mode=off", "kluster.api-key=bench",
					"kluster.base-url=" + args[1] + "/chat/v1", "kluster.warm-up.enabled=" + warm);
		try (ConfigurableApplicationContext context = builder.run()) {
			long ready = System.nanoTime();
			KlusterConnection connection = context.getBean(KlusterConnection.class);
			KlusterChatClient client = context.getBean(KlusterChatClient.class);
			long warmUpNanos = -1;
			if (warm) {
				long limit = ready + WARM_UP_LIMIT.toNanos();
				while (!connection.isWarm()) {
					if (System.nanoTime() > limit) {
						System.out.println("RESULT error=warm-up-did-not-end");
						return;
					}
					Thread.sleep(1);
				}
				warmUpNanos = System.nanoTime() - ready;
			}
			long settle = ready + SETTLE_MILLIS * 1_000_000;
			long now = System.nanoTime();
			if (now < settle) {
				Thread.sleep((settle - now) / 1_000_000);
			}
			ChatCompletionRequest request = ChatCompletionRequest.builder()
				.model(BenchClient.MODEL)
				.message(ChatMessage.user(BenchClient.PROMPT))
				.maxCompletionTokens(BenchClient.MAX_TOKENS)
				.build();
			long first = timed(client, request);
			long[] next = new long[WARM_CALLS];
			for (int i = 0; i < WARM_CALLS; i++) {
				next[i] = timed(client, request);
			}
			Arrays.sort(next);
			double median = (next[WARM_CALLS / 2 - 1] + next[WARM_CALLS / 2]) / 2e6;
			System.out.println(String.format(Locale.ROOT, "RESULT first=%.2f warm=%.2f warmUp=%.0f", first / 1e6,
					median, (warmUpNanos < 0) ? Double.NaN : warmUpNanos / 1e6));
		}
	}

	private static long timed(KlusterChatClient client, ChatCompletionRequest request) {
		long start = System.nanoTime();
		client.chat(request).block(Duration.ofSeconds(30));
		return System.nanoTime() - start;
	}

}
