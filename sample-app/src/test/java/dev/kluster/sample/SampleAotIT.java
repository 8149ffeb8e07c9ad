package dev.kluster.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the packaged sample in its own JVM with {@code -Dspring.aot.enabled=true}, so that
 * it runs on the bean definitions generated ahead of time rather than on its
 * configuration classes, without an API key, and checks that it answers a chat and a
 * stream with the stand-in's canned answers. Run by {@code ./mvnw verify}, after the jar
 * is packaged.
 */
class SampleAotIT {

	private static final Pattern READY = Pattern.compile("Sample ready: open http://localhost:(\\d+)/ \\(answers are CANNED");

	// A bound on a start that failed to say so, not on how fast the sample starts.
	private static final Duration START_GIVE_UP = Duration.ofMinutes(3);

	private static final HttpClient http = HttpClient.newHttpClient();

	private static Process sample;

	private static final CompletableFuture<Integer> port = new CompletableFuture<>();

	private static final StringBuilder startLog = new StringBuilder();

	@BeforeAll
	static void startTheAotProcessedJar() throws Exception {
		Path jar = Path.of(System.getProperty("sample.jar", "target/kluster-sample.jar"));
		assertThat(jar).as("the packaged sample; run ./mvnw verify").exists();
		Path log = jar.resolveSibling("sample-aot.log");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(java, "-Dspring.aot.enabled=true", "-jar", jar.toString(),
				"--server.port=0", "--sample.stand-in.chunk-delay=0ms", "--sample.stand-in.rate-limit-first-chat=false")
			.redirectErrorStream(true);
		// Canned answers whatever the machine's environment.
		builder.environment().remove("KLUSTER_API_KEY");
		sample = builder.start();
		Thread reader = new Thread(() -> readLog(log), "sample-aot-log");
		reader.setDaemon(true);
		reader.start();
		port.get(START_GIVE_UP.toSeconds(), TimeUnit.SECONDS);
	}

	@AfterAll
	static void stop() throws InterruptedException {
		if (sample != null) {
			sample.destroy();
			sample.waitFor(1, TimeUnit.MINUTES);
		}
	}

	@Test
	void startsOnTheBeanDefinitionsGeneratedAheadOfTime() {
		synchronized (startLog) {
			assertThat(startLog).contains("Starting AOT-processed SampleApplication");
		}
	}

	@Test
	void answersAChat() throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/chat"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"Say hello\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).contains("\"text\":\"").contains("\"usage\":{");
	}

	@Test
	void streamsAnAnswer() throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/chat/stream?prompt=Say%20hello"))
			.header("Accept", "text/event-stream")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		List<String> events = response.body().lines().filter((line) -> line.startsWith("event:")).toList();
		assertThat(events).contains("event:token").endsWith("event:usage");
	}

	private static URI uri(String path) throws Exception {
		return URI.create("http://localhost:" + port.get() + path);
	}

	/**
	 * Copy the sample's output to a file, for when the test fails, and look for the line
	 * that says where it listens.
	 */
	private static void readLog(Path log) {
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(sample.getInputStream(), StandardCharsets.UTF_8));
				PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
			String line;
			while ((line = in.readLine()) != null) {
				out.println(line);
				if (!port.isDone()) {
					synchronized (startLog) {
						startLog.append(line).append('\n');
					}
					Matcher ready = READY.matcher(line);
					if (ready.find()) {
						port.complete(Integer.parseInt(ready.group(1)));
					}
				}
			}
			port.completeExceptionally(new IllegalStateException("The sample stopped before it was ready:\n" + startLog));
		}
		catch (IOException ex) {
			port.completeExceptionally(ex);
		}
	}

}
