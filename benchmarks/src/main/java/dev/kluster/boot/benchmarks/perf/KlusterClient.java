package dev.kluster.boot.benchmarks.perf;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.github.bucket4j.BucketConfiguration;

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
 * "Paced-redis" is the paced one with the budgets in Redis
 * ({@code kluster.rate-limit.store=redis}, the {@code redis-server} that the benchmark
 * started on port {@code bench.redis.port}, and {@code spring-boot-starter-data-redis} on
 * its classpath): what the shared pacer costs; it also measures the round trip to Redis
 * ({@link #roundTrips}).
 */
final class KlusterClient implements BenchClient {

	/** The client whose budgets are in Redis. */
	static final String REDIS_CLIENT = "kluster-paced-redis";

	private final Map<String, ConfigurableApplicationContext> contexts = new HashMap<>();

	private final Map<String, KlusterChatClient> clients = new HashMap<>();

	KlusterClient(String address, boolean observed) {
		for (String target : new String[] { "chat", "s50", "s2000", "trickle" }) {
			SpringApplicationBuilder builder = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
				.logStartupInfo(false)
				.properties("spring.main.banner-mode=off", "kluster.api-key=bench",
						"kluster.base-url=" + address + "/" + target + "/v1");
			String client = System.getProperty("bench.client");
			if ("kluster-paced".equals(client) || REDIS_CLIENT.equals(client)) {
				// Budgets far above what the loop sends: every call passes the pacer of
				// kluster.rate-limit.* (a reservation on each budget, the token estimate and
				// its correction) without waiting, so the row shows what the pacer costs.
				builder.properties("kluster.rate-limit.requests-per-minute=1000000000",
						"kluster.rate-limit.tokens-per-minute=" + KlusterRateLimit.MAX_PER_MINUTE);
			}
			if (REDIS_CLIENT.equals(client)) {
				builder.properties("kluster.rate-limit.store=redis", "spring.data.redis.host=127.0.0.1",
						"spring.data.redis.port=" + redisPort());
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

	/**
	 * The round trip to Redis, {@code count} times one after the other (after as many to
	 * warm up): a {@code PING} written by hand on a socket of its own (the network and
	 * Redis alone) and one reservation through the pacer's store, as each budget of a call
	 * makes it (Bucket4j's compare-and-swap through Lettuce, within the store timeout).
	 * Also says whether the chat calls' requests budget is in Redis: a pacer that fell back
	 * to this instance's store would measure the wrong thing.
	 */
	String roundTrips(int count) throws IOException {
		long[] pings = new long[count];
		boolean budgetInRedis;
		try (Socket socket = new Socket("127.0.0.1", redisPort())) {
			socket.setTcpNoDelay(true);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			for (int pass = 0; pass < 2; pass++) {
				for (int i = 0; i < count; i++) {
					long began = System.nanoTime();
					out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
					out.flush();
					read(in, "+PONG\r\n");
					pings[i] = System.nanoTime() - began;
				}
			}
			// Keys expire once their bucket is full again: a call first, so that this one exists.
			this.clients.get("chat").chat(request()).block();
			String key = KlusterRateLimit.DEFAULT_KEY_PREFIX + "requests:" + MODEL;
			out.write(("EXISTS " + key + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			budgetInRedis = read(in, ":1\r\n");
		}
		KlusterRateLimit limit = this.contexts.get("chat").getBean(KlusterRateLimit.class);
		BucketConfiguration budget = BucketConfiguration.builder()
			.addLimit((bandwidth) -> bandwidth.capacity(KlusterRateLimit.MAX_PER_MINUTE)
				.refillGreedy(KlusterRateLimit.MAX_PER_MINUTE, Duration.ofMinutes(1)))
			.build();
		long[] reserves = new long[count];
		for (int pass = 0; pass < 2; pass++) {
			for (int i = 0; i < count; i++) {
				long began = System.nanoTime();
				limit.store().reserve(KlusterRateLimit.DEFAULT_KEY_PREFIX + "bench-round-trip", budget, 1).block();
				reserves[i] = System.nanoTime() - began;
			}
		}
		Arrays.sort(pings);
		Arrays.sort(reserves);
		return String.format(Locale.ROOT,
				"RESULT count=%d budgetInRedis=%s pingP50=%.1f pingP99=%.1f reserveP50=%.1f reserveP99=%.1f", count,
				budgetInRedis, percentile(pings, 50) / 1e3, percentile(pings, 99) / 1e3, percentile(reserves, 50) / 1e3,
				percentile(reserves, 99) / 1e3);
	}

	// Reads an answer of the expected length; whether it is the expected one.
	private static boolean read(InputStream in, String expected) throws IOException {
		byte[] answer = in.readNBytes(expected.length());
		return expected.equals(new String(answer, StandardCharsets.US_ASCII));
	}

	private static long percentile(long[] sorted, int percent) {
		int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	private static int redisPort() {
		Integer port = Integer.getInteger("bench.redis.port");
		if (port == null) {
			throw new IllegalStateException("bench.redis.port is not set: run benchmarks/run-performance.sh");
		}
		return port;
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
