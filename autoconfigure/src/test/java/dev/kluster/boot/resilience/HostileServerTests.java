package dev.kluster.boot.resilience;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Publisher;

import dev.kluster.boot.batch.KlusterBatchClient;
import dev.kluster.boot.error.KlusterApiException;
import dev.kluster.boot.error.KlusterAuthenticationException;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.error.KlusterConnectionException;
import dev.kluster.boot.error.KlusterException;
import dev.kluster.boot.error.KlusterInvalidResponseException;
import dev.kluster.boot.error.KlusterRateLimitException;
import dev.kluster.boot.error.KlusterRedirectException;
import dev.kluster.boot.error.KlusterResponseTooLargeException;
import dev.kluster.boot.error.KlusterServerException;
import dev.kluster.boot.error.KlusterTimeoutException;
import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A hostile server on the loopback interface against the auto-configured clients: every
 * bad answer must become a documented {@link KlusterException} subtype (or the documented
 * success), nothing may hang (15 s detector, far above the 2 s / 1 s / 5 s limits set
 * here), and the API key must stay out of every message and stack trace even when the
 * server echoes it.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileServerTests {

	private static final Duration HANG = Duration.ofSeconds(15);

	private static final String KEY = LocalKluster.KEY;

	private static final String COMPLETION = LocalKluster.COMPLETION.replace("\n", "");

	private static final String CHUNK = LocalKluster.CHUNK;

	private static final String[] LIMITS = { "kluster.response-timeout=2s", "kluster.stream-idle-timeout=1s",
			"kluster.total-timeout=5s", "kluster.max-response-size=64KB", "kluster.retry.enabled=false",
			"kluster.batch.request-timeout=2s" };

	private static final Function<KlusterChatClient, Publisher<?>> CHAT = (client) -> client.chat("Hi");

	private static final Function<KlusterChatClient, Publisher<?>> STREAM = (client) -> client.stream("Hi");

	private static final Function<KlusterChatClient, Publisher<?>> MODELS = KlusterChatClient::models;

	// ---------------------------------------------------------------- echoes

	@Test
	void echoedKeyInHeadersAndBodyOfANonJsonSuccessIsRedacted(CapturedOutput output) throws IOException {
		String body = "<html>you sent Authorization: Bearer " + KEY + " and " + KEY + "</html>";
		try (RawServer server = RawServer.answering(head("200 OK", "Content-Type: text/html", "X-Echo: Bearer " + KEY,
				"X-Request-Id: Bearer " + KEY, "Content-Length: " + body.length()) + body)) {
			expectFailure(outcome(server.baseUrl(), CHAT), KlusterInvalidResponseException.class, "kluster.ai");
			expectFailure(outcome(server.baseUrl(), STREAM), KlusterInvalidResponseException.class, "kluster.ai");
			expectFailure(outcome(server.baseUrl(), MODELS), KlusterInvalidResponseException.class, "kluster.ai");
		}
		assertThat(output.getAll()).doesNotContain(KEY);
	}

	@Test
	void echoedKeyInAJsonErrorWithRequestIdIsRedacted(CapturedOutput output) throws IOException {
		String body = "{\"error\":{\"message\":\"bad key " + KEY + "\",\"type\":\"" + KEY + "\",\"param\":\"" + KEY
				+ "\",\"code\":\"" + KEY + "\"}}";
		try (RawServer server = RawServer.answering(head("401 Unauthorized", "Content-Type: application/json",
				"x-request-id: " + KEY, "Content-Length: " + body.length()) + body)) {
			Object outcome = outcome(server.baseUrl(), CHAT);
			expectFailure(outcome, KlusterAuthenticationException.class, "401");
			KlusterApiException ex = (KlusterApiException) outcome;
			assertThat(String.valueOf(ex.requestId())).doesNotContain(KEY);
			assertThat(ex.error().toString()).doesNotContain(KEY);
		}
		assertThat(output.getAll()).doesNotContain(KEY);
	}

	@Test
	void echoedKeyInACrossOriginLocationIsNotQuoted(CapturedOutput output) throws IOException {
		try (RawServer target = RawServer.answering(json200(COMPLETION))) {
			String location = target.baseUrl().replace("127.0.0.1", "localhost") + "/chat/completions?key=" + KEY
					+ "&auth=Bearer%20" + KEY;
			try (RawServer server = RawServer.answering(head("307 Temporary Redirect", "Location: " + location,
					"Content-Length: 0"))) {
				Object outcome = outcome(server.baseUrl(), CHAT);
				expectFailure(outcome, KlusterRedirectException.class, "localhost");
				assertThat(String.valueOf(((KlusterRedirectException) outcome).location())).doesNotContain(KEY);
			}
		}
		assertThat(output.getAll()).doesNotContain(KEY);
	}

	@Test
	void echoedKeyInALocationThatIsNotFollowedIsNotQuoted(CapturedOutput output) throws IOException {
		try (RawServer server = RawServer.answering(head("302 Found", "Location: javascript:alert('Bearer " + KEY + "')",
				"Content-Length: 0"))) {
			expectFailure(outcome(server.baseUrl(), MODELS), KlusterException.class, "kluster.ai");
			expectFailure(outcome(server.baseUrl(), CHAT), KlusterException.class, "kluster.ai");
		}
		assertThat(output.getAll()).doesNotContain(KEY);
	}

	@Test
	void echoedKeyInTheReasonPhraseIsRedacted(CapturedOutput output) throws IOException {
		try (RawServer server = RawServer.answering(head("500 Bearer " + KEY, "Content-Type: text/plain",
				"Content-Length: 4") + "oops")) {
			expectFailure(outcome(server.baseUrl(), CHAT), KlusterServerException.class, "500");
			expectFailure(outcome(server.baseUrl(), STREAM), KlusterServerException.class, "500");
		}
		assertThat(output.getAll()).doesNotContain(KEY);
	}

	@Test
	void echoedKeyInAnSseErrorEventIsRedacted(CapturedOutput output) throws IOException {
		String events = "event: error\ndata: {\"object\":\"error\",\"message\":\"Bearer " + KEY + " " + KEY
				+ "\"}\n\n";
		try (RawServer server = RawServer.answering(sseHead() + events)) {
			expectFailure(outcome(server.baseUrl(), STREAM), KlusterInvalidResponseException.class, "error");
		}
		String errorObject = "data: {\"error\":{\"message\":\"key " + KEY + "\"}}\n\n";
		try (RawServer server = RawServer.answering(sseHead() + "data: " + CHUNK + "\n\n" + errorObject)) {
			expectFailure(outcome(server.baseUrl(), STREAM), KlusterInvalidResponseException.class, "kluster.ai");
		}
		String notJson = "data: {\"id\": Bearer " + KEY + "\n\n";
		try (RawServer server = RawServer.answering(sseHead() + notJson)) {
			expectFailure(outcome(server.baseUrl(), STREAM), KlusterInvalidResponseException.class, "kluster.ai");
		}
		assertThat(output.getAll()).doesNotContain(KEY);
	}

	@Test
	void echoedKeyInTheContentOfACompletionIsTheModelsOutputAndReturnedAsIs() throws IOException {
		String body = COMPLETION.replace("Hello there", "Your key is " + KEY);
		try (RawServer server = RawServer.answering(json200(body))) {
			assertThat(values(outcome(server.baseUrl(), CHAT))).containsExactly("Your key is " + KEY);
		}
	}

	@Test
	void echoedKeyInAnInvalidJsonTokenOfABatchReadIsRedacted(CapturedOutput output) throws IOException {
		String body = "{\"id\": Bearer " + KEY + "}";
		try (RawServer server = RawServer.answering(json200(body))) {
			Object outcome = batchOutcome(server.baseUrl(), (batches) -> batches.retrieve("batch_1"));
			expectFailure(outcome, KlusterInvalidResponseException.class, "kluster.ai");
		}
		assertThat(output.getAll()).doesNotContain(KEY);
	}

	// ---------------------------------------------------------------- truncations

	@Test
	void contentLengthLargerThanTheBodyThenCloseIsAConnectionFailure() throws IOException {
		try (RawServer server = RawServer.answering(head("200 OK", "Content-Type: application/json",
				"Content-Length: 5000") + COMPLETION)) {
			expectFailure(outcome(server.baseUrl(), CHAT), KlusterConnectionException.class, "kluster.ai");
			expectFailure(outcome(server.baseUrl(), MODELS), KlusterConnectionException.class, "kluster.ai");
		}
	}

	@Test
	void chunkedBodyCutInTheMiddleOfTheJsonIsTyped() throws IOException {
		String half = COMPLETION.substring(0, COMPLETION.length() / 2);
		try (RawServer server = RawServer.answering(head("200 OK", "Content-Type: application/json",
				"Transfer-Encoding: chunked") + Integer.toHexString(COMPLETION.length()) + "\r\n" + half)) {
			expectFailure(outcome(server.baseUrl(), CHAT), KlusterException.class, "kluster.ai",
					KlusterConnectionException.class, KlusterInvalidResponseException.class);
		}
	}

	@Test
	void streamCutInTheMiddleOfAnEventWithoutDoneIsTyped() throws IOException {
		String body = "data: " + CHUNK + "\n\ndata: " + CHUNK.substring(0, 30);
		try (RawServer server = RawServer.answering(sseHead() + body)) {
			expectFailure(outcome(server.baseUrl(), STREAM), KlusterException.class, "kluster.ai",
					KlusterInvalidResponseException.class, KlusterConnectionException.class);
		}
		try (RawServer server = RawServer.answering(sseHead() + "data: " + CHUNK + "\n\n")) {
			expectFailure(outcome(server.baseUrl(), STREAM), KlusterInvalidResponseException.class, "[DONE]");
		}
	}

	@Test
	void closeRightAfterTheHeadersIsAConnectionFailure() throws IOException {
		try (RawServer server = RawServer.answering(head("200 OK", "Content-Type: application/json",
				"Content-Length: 500"))) {
			expectFailure(outcome(server.baseUrl(), CHAT), KlusterConnectionException.class, "kluster.ai");
		}
		try (RawServer server = RawServer.answering(head("200 OK", "Content-Type: text/event-stream",
				"Transfer-Encoding: chunked"))) {
			expectFailure(outcome(server.baseUrl(), STREAM), KlusterException.class, "kluster.ai",
					KlusterConnectionException.class, KlusterInvalidResponseException.class);
		}
	}

	@Test
	void halfAStatusLineIsTyped() throws IOException {
		try (RawServer server = RawServer.answering("HTTP/1.1 2")) {
			expectFailure(outcome(server.baseUrl(), CHAT), KlusterException.class, "kluster.ai",
					KlusterConnectionException.class, KlusterInvalidResponseException.class);
			expectFailure(outcome(server.baseUrl(), STREAM), KlusterException.class, "kluster.ai",
					KlusterConnectionException.class, KlusterInvalidResponseException.class);
		}
	}

	// ---------------------------------------------------------------- stalls

	@Test
	void headersThenNothingTimesOut() throws IOException {
		try (RawServer server = RawServer.scripted((in, out, n) -> {
			out.write(bytes(head("200 OK", "Content-Type: application/json", "Content-Length: 500")));
			out.flush();
			RawServer.idle(30_000);
		})) {
			expectTimeout(outcome(server.baseUrl(), CHAT), "kluster.response-timeout");
		}
		try (RawServer server = RawServer.scripted((in, out, n) -> {
			out.write(bytes(head("200 OK", "Content-Type: text/event-stream", "Transfer-Encoding: chunked")));
			out.flush();
			RawServer.idle(30_000);
		})) {
			expectTimeout(outcome(server.baseUrl(), STREAM), "kluster.response-timeout");
		}
	}

	@Test
	void chatBodyTricklingOneBytePerHalfSecondIsCutByTheResponseTimeout() throws IOException {
		try (RawServer server = RawServer.scripted((in, out, n) -> {
			out.write(bytes(head("200 OK", "Content-Type: application/json",
					"Content-Length: " + COMPLETION.length())));
			out.flush();
			for (int i = 0; i < 60; i++) {
				out.write(COMPLETION.charAt(i));
				out.flush();
				Thread.sleep(500);
			}
		})) {
			long start = System.nanoTime();
			// No total timeout: the response timeout alone must cover the whole answer.
			Object outcome = outcome(server.baseUrl(), CHAT, "kluster.total-timeout=60s");
			expectTimeout(outcome, "kluster.response-timeout");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
		}
	}

	@Test
	void streamSendingOnlyCommentsBeforeTheFirstChunkIsCutByTheResponseTimeout() throws IOException {
		try (RawServer server = RawServer.scripted((in, out, n) -> {
			out.write(bytes(head("200 OK", "Content-Type: text/event-stream", "Connection: close")));
			out.flush();
			for (int i = 0; i < 150; i++) {
				out.write(bytes(": keep-alive\n\n"));
				out.flush();
				Thread.sleep(200);
			}
		})) {
			expectTimeout(outcome(server.baseUrl(), STREAM, "kluster.total-timeout=60s"), "kluster.response-timeout");
		}
	}

	@Test
	void acceptedConnectionThatNeverAnswersTimesOut() throws IOException {
		try (RawServer server = RawServer.scripted(false, (in, out, n) -> RawServer.idle(30_000))) {
			expectTimeout(outcome(server.baseUrl(), CHAT), "kluster.response-timeout");
			expectTimeout(outcome(server.baseUrl(), STREAM), "kluster.response-timeout");
			expectTimeout(outcome(server.baseUrl(), MODELS), "kluster.response-timeout");
		}
	}

	@Test
	void batchCallThatNeverAnswersTimesOut() throws IOException {
		try (RawServer server = RawServer.scripted(false, (in, out, n) -> RawServer.idle(30_000))) {
			Object outcome = batchOutcome(server.baseUrl(), (batches) -> batches.retrieve("batch_1"));
			expectFailure(outcome, KlusterTimeoutException.class, "kluster.batch.request-timeout");
		}
	}

	// ---------------------------------------------------------------- floods

	@Test
	void endlessChatBodyIsTooLarge() throws IOException {
		try (RawServer server = RawServer.scripted((in, out, n) -> {
			out.write(bytes(head("200 OK", "Content-Type: application/json", "Connection: close")
					+ "{\"id\":\""));
			byte[] block = bytes("a".repeat(8192));
			for (int i = 0; i < 12_800; i++) { // at most 100 MB
				out.write(block);
			}
		})) {
			expectFailure(outcome(server.baseUrl(), CHAT), KlusterResponseTooLargeException.class, "");
			expectFailure(outcome(server.baseUrl(), MODELS), KlusterResponseTooLargeException.class, "");
		}
	}

	@Test
	void endlessChunkedChatBodyIsTooLarge() throws IOException {
		try (RawServer server = RawServer.scripted((in, out, n) -> {
			out.write(bytes(head("200 OK", "Content-Type: application/json", "Transfer-Encoding: chunked")));
			String block = "a".repeat(8192);
			out.write(bytes("7\r\n{\"id\":\"\r\n"));
			for (int i = 0; i < 12_800; i++) {
				out.write(bytes("2000\r\n" + block + "\r\n"));
			}
		})) {
			expectFailure(outcome(server.baseUrl(), CHAT), KlusterResponseTooLargeException.class, "");
		}
	}

	@Test
	void oneEndlessSseEventWithoutNewlineIsTooLarge() throws IOException {
		try (RawServer server = RawServer.scripted((in, out, n) -> {
			out.write(bytes(head("200 OK", "Content-Type: text/event-stream", "Connection: close")
					+ "data: {\"id\":\""));
			byte[] block = bytes("a".repeat(8192));
			for (int i = 0; i < 12_800; i++) {
				out.write(block);
			}
		})) {
			expectFailure(outcome(server.baseUrl(), STREAM), KlusterResponseTooLargeException.class, "");
		}
	}

	@Test
	void hundredThousandTinyValidChunksAllArrive() throws IOException {
		String tiny = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
				+ "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}";
		try (RawServer server = RawServer.scripted((in, out, n) -> {
			out.write(bytes(head("200 OK", "Content-Type: text/event-stream", "Connection: close")));
			StringBuilder batch = new StringBuilder();
			for (int i = 0; i < 100_000; i++) {
				batch.append("data: ").append(tiny).append("\n\n");
				if (batch.length() > 32_000) {
					out.write(bytes(batch.toString()));
					batch.setLength(0);
				}
			}
			batch.append("data: [DONE]\n\n");
			out.write(bytes(batch.toString()));
		})) {
			AtomicReference<Object> result = new AtomicReference<>();
			runner(server.baseUrl(), "kluster.total-timeout=60s").run((context) -> {
				try {
					result.set(context.getBean(KlusterChatClient.class).stream("Hi").count().block(Duration.ofSeconds(60)));
				}
				catch (Throwable ex) {
					result.set(ex);
				}
			});
			assertThat(result.get()).isEqualTo(100_000L);
		}
	}

	@Test
	void tenThousandHeadersAreAnInvalidResponse() throws IOException {
		StringBuilder headers = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n");
		for (int i = 0; i < 10_000; i++) {
			headers.append("X-H").append(i).append(": v\r\n");
		}
		headers.append("Content-Length: ").append(COMPLETION.length()).append("\r\n\r\n").append(COMPLETION);
		try (RawServer server = RawServer.answering(headers.toString())) {
			expectFailure(outcome(server.baseUrl(), CHAT), KlusterInvalidResponseException.class, "kluster.ai");
		}
	}

	@Test
	void endlessHeaderLineIsAnInvalidResponse() throws IOException {
		try (RawServer server = RawServer.scripted((in, out, n) -> {
			out.write(bytes("HTTP/1.1 200 OK\r\nX-Endless: "));
			byte[] block = bytes("a".repeat(8192));
			for (int i = 0; i < 1280; i++) {
				out.write(block);
			}
		})) {
			expectFailure(outcome(server.baseUrl(), CHAT), KlusterInvalidResponseException.class, "kluster.ai");
		}
	}

	@Test
	void gzipBombIsRefusedOrTooLarge() throws IOException {
		ByteArrayOutputStream compressed = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
			gzip.write(bytes("{\"id\":\""));
			byte[] block = new byte[1 << 20];
			java.util.Arrays.fill(block, (byte) 'a');
			for (int i = 0; i < 200; i++) { // 200 MB inflated
				gzip.write(block);
			}
		}
		byte[] body = compressed.toByteArray();
		ByteArrayOutputStream answer = new ByteArrayOutputStream();
		answer.write(bytes(head("200 OK", "Content-Type: application/json", "Content-Encoding: gzip",
				"Content-Length: " + body.length)));
		answer.write(body);
		try (RawServer server = RawServer.answering(answer.toByteArray())) {
			Object outcome = outcome(server.baseUrl(), CHAT);
			System.out.println("gzip bomb outcome: " + outcome);
			expectFailure(outcome, KlusterException.class, "",
					KlusterResponseTooLargeException.class, KlusterInvalidResponseException.class);
			String request = server.requests().get(0).toLowerCase(Locale.ROOT);
			System.out.println("gzip bomb: client request head advertises accept-encoding: "
					+ request.contains("accept-encoding"));
		}
	}

	@Test
	void deeplyNestedJsonIsAnInvalidResponse() throws IOException {
		String nested = "[".repeat(100_000);
		try (RawServer server = RawServer.answering(json200(nested))) {
			expectFailure(outcome(server.baseUrl(), CHAT, "kluster.max-response-size=1MB"),
					KlusterInvalidResponseException.class, "kluster.ai");
		}
		String chunk = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"x\":" + nested;
		try (RawServer server = RawServer.answering(sseHead() + "data: " + chunk + "\n\ndata: [DONE]\n\n")) {
			expectFailure(outcome(server.baseUrl(), STREAM, "kluster.max-response-size=1MB"),
					KlusterInvalidResponseException.class, "kluster.ai");
		}
	}

	@Test
	void tenMegabyteStringInsideAChunkIsTooLarge() throws IOException {
		String chunk = CHUNK.replace("word ", "y".repeat(10 * 1024 * 1024));
		try (RawServer server = RawServer.answering(sseHead() + "data: " + CHUNK + "\n\ndata: " + chunk
				+ "\n\ndata: [DONE]\n\n")) {
			Object outcome = outcome(server.baseUrl(), STREAM);
			expectFailure(outcome, KlusterResponseTooLargeException.class, "");
		}
	}

	@Test
	void hugeNumbersAreAnInvalidResponseOrRead() throws IOException {
		String longNumber = COMPLETION.replace("1733832777", "9".repeat(5000));
		try (RawServer server = RawServer.answering(json200(longNumber))) {
			expectFailure(outcome(server.baseUrl(), CHAT), KlusterInvalidResponseException.class, "kluster.ai");
		}
		String overflow = COMPLETION.replace("\"prompt_tokens\":5", "\"prompt_tokens\":99999999999999999999999");
		try (RawServer server = RawServer.answering(json200(overflow))) {
			expectFailure(outcome(server.baseUrl(), (client) -> client.chat(request())),
					KlusterInvalidResponseException.class, "kluster.ai");
		}
		String exponent = COMPLETION.replace("\"prompt_tokens\":5", "\"prompt_tokens\":1e999999999");
		try (RawServer server = RawServer.answering(json200(exponent))) {
			Object outcome = outcome(server.baseUrl(), (client) -> client.chat(request()));
			expectFailure(outcome, KlusterInvalidResponseException.class, "kluster.ai");
		}
	}

	// ---------------------------------------------------------------- redirects

	@Test
	// The server closes each connection after its answer without saying so: following the
	// redirect may meet the closed connection (a connection failure) or give up after the
	// HTTP client's most redirects (the last redirect, not followed). Typed either way.
	void redirectLoopToItselfIsATypedErrorNotAHang() throws IOException {
		try (RawServer server = RawServer.answering(head("307 Temporary Redirect", "Location: /v1/chat/completions",
				"Content-Length: 0"))) {
			expectFailure(outcome(server.baseUrl(), CHAT), KlusterException.class, "kluster.ai");
			assertThat(server.connections()).isLessThan(100);
		}
		try (RawServer server = RawServer.answering(head("302 Found", "Location: /v1/models", "Content-Length: 0"))) {
			expectFailure(outcome(server.baseUrl(), MODELS), KlusterException.class, "kluster.ai");
		}
	}

	@Test
	void redirectToAnUnreachablePortIsTyped() throws IOException {
		int closed;
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			closed = probe.getLocalPort();
		}
		String target = "http://127.0.0.1:" + closed + "/v1/models";
		try (RawServer server = RawServer.answering(head("302 Found", "Location: " + target, "Content-Length: 0"))) {
			expectFailure(outcome(server.baseUrl(), MODELS), KlusterConnectionException.class, "kluster.ai");
			expectFailure(outcome(server.baseUrl(), CHAT), KlusterRedirectException.class, String.valueOf(closed));
		}
	}

	@Test
	void garbageLocationIsTyped() throws IOException {
		for (String location : List.of("javascript:alert(1)", "::::%%%", "http://[::1", "")) {
			try (RawServer server = RawServer.answering(head("301 Moved Permanently", "Location: " + location,
					"Content-Length: 0"))) {
				expectFailure(outcome(server.baseUrl(), CHAT), KlusterException.class, "kluster.ai");
				expectFailure(outcome(server.baseUrl(), MODELS), KlusterException.class, "kluster.ai");
			}
		}
	}

	@Test
	void seeOtherOnPostIsFollowedOrTyped() throws IOException {
		try (RawServer server = RawServer.scripted((in, out, n) -> {
			if (n == 1) {
				out.write(bytes(head("303 See Other", "Location: /v1/results/1", "Content-Length: 0")));
			}
			else {
				out.write(bytes(json200(COMPLETION)));
			}
		})) {
			Object outcome = outcome(server.baseUrl(), CHAT);
			if (outcome instanceof Throwable) {
				expectFailure(outcome, KlusterException.class, "kluster.ai");
			}
			else {
				assertThat(values(outcome)).containsExactly("Hello there");
			}
			System.out.println("303 on POST: second request " + server.requests().stream().skip(1).findFirst()
				.map((r) -> r.lines().findFirst().orElse("")).orElse("none"));
			assertThat(server.requests().stream().skip(1)).noneMatch((r) -> r.contains(KEY) && !r.contains("127.0.0.1"));
		}
	}

	// ---------------------------------------------------------------- malformed bytes

	@Test
	void invalidUtf8InJsonIsReadOrAnInvalidResponse() throws IOException {
		byte[] start = bytes(COMPLETION.substring(0, COMPLETION.indexOf("Hello")));
		byte[] end = bytes(COMPLETION.substring(COMPLETION.indexOf("Hello")));
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.write(start);
		body.write(new byte[] { (byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE });
		body.write(end);
		ByteArrayOutputStream answer = new ByteArrayOutputStream();
		answer.write(bytes(head("200 OK", "Content-Type: application/json", "Content-Length: " + body.size())));
		answer.write(body.toByteArray());
		try (RawServer server = RawServer.answering(answer.toByteArray())) {
			Object outcome = outcome(server.baseUrl(), CHAT);
			if (outcome instanceof Throwable) {
				expectFailure(outcome, KlusterInvalidResponseException.class, "kluster.ai");
			}
		}
	}

	@Test
	void nulBytesInJsonAreAnInvalidResponse() throws IOException {
		String body = COMPLETION.replace("Hello there", "Hello\u0000there");
		try (RawServer server = RawServer.answering(json200(body))) {
			expectFailure(outcome(server.baseUrl(), CHAT), KlusterInvalidResponseException.class, "kluster.ai");
		}
		try (RawServer server = RawServer.answering(sseHead() + "data: " + CHUNK.replace("word ", "w\u0000") + "\n\n"
				+ "data: [DONE]\n\n")) {
			expectFailure(outcome(server.baseUrl(), STREAM), KlusterInvalidResponseException.class, "kluster.ai");
		}
	}

	@Test
	void http10AnswerWithoutLengthIsRead() throws IOException {
		try (RawServer server = RawServer.answering("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n"
				+ COMPLETION)) {
			assertThat(values(outcome(server.baseUrl(), CHAT))).containsExactly("Hello there");
		}
	}

	@Test
	void continueThenNothingTimesOut() throws IOException {
		try (RawServer server = RawServer.scripted((in, out, n) -> {
			out.write(bytes("HTTP/1.1 100 Continue\r\n\r\n"));
			out.flush();
			RawServer.idle(30_000);
		})) {
			expectTimeout(outcome(server.baseUrl(), CHAT), "kluster.response-timeout");
		}
	}

	// Reactor Netty takes the first status line other than 100 Continue as the answer, so
	// the answer after an early hint is out of reach: the call fails, typed, with the 103.
	@Test
	void informationalAnswerBeforeTheAnswerIsATypedFailure() throws IOException {
		try (RawServer server = RawServer.answering("HTTP/1.1 103 Early Hints\r\nLink: </x>; rel=preload\r\n\r\n"
				+ json200(COMPLETION))) {
			Object outcome = outcome(server.baseUrl(), CHAT);
			expectFailure(outcome, KlusterApiException.class, "103");
			assertThat(((KlusterApiException) outcome).statusCode()).isEqualTo(103);
		}
	}

	@Test
	void otherHttpVersionInTheStatusLineIsReadOrInvalid() throws IOException {
		try (RawServer server = RawServer.answering(json200(COMPLETION).replace("HTTP/1.1", "HTTP/2.0"))) {
			Object outcome = outcome(server.baseUrl(), CHAT);
			if (outcome instanceof Throwable) {
				expectFailure(outcome, KlusterInvalidResponseException.class, "kluster.ai");
			}
			else {
				assertThat(values(outcome)).containsExactly("Hello there");
			}
		}
	}

	@Test
	void twoResponsesForOneRequestGiveTheFirst() throws IOException {
		try (RawServer server = RawServer.answering(json200(COMPLETION) + json200(COMPLETION.replace("Hello there",
				"second")))) {
			assertThat(values(outcome(server.baseUrl(), CHAT))).containsExactly("Hello there");
		}
	}

	@Test
	void noContentForChatIsAnInvalidResponse() throws IOException {
		try (RawServer server = RawServer.answering(head("204 No Content"))) {
			expectFailure(outcome(server.baseUrl(), CHAT), KlusterInvalidResponseException.class, "kluster.ai");
			expectFailure(outcome(server.baseUrl(), STREAM), KlusterInvalidResponseException.class, "kluster.ai");
			expectFailure(outcome(server.baseUrl(), MODELS), KlusterInvalidResponseException.class, "kluster.ai");
		}
	}

	@Test
	void htmlSuccessForChatIsAnInvalidResponse() throws IOException {
		String body = "<html><body>Welcome to our captive portal</body></html>";
		try (RawServer server = RawServer.answering(head("200 OK", "Content-Type: text/html",
				"Content-Length: " + body.length()) + body)) {
			expectFailure(outcome(server.baseUrl(), CHAT), KlusterInvalidResponseException.class, "kluster.ai");
			expectFailure(outcome(server.baseUrl(), STREAM), KlusterInvalidResponseException.class, "kluster.ai");
		}
	}

	@Test
	void sseWithCrlfLineEndingsIsRead() throws IOException {
		try (RawServer server = RawServer.answering(sseHead() + "data: " + CHUNK + "\r\n\r\ndata: " + CHUNK
				+ "\r\n\r\ndata: [DONE]\r\n\r\n")) {
			assertThat(values(outcome(server.baseUrl(), STREAM))).containsExactly("word ", "word ");
		}
	}

	@Test
	void sseWithCrOnlyLineEndingsIsRead() throws IOException {
		try (RawServer server = RawServer.answering(sseHead() + "data: " + CHUNK + "\r\rdata: " + CHUNK
				+ "\r\rdata: [DONE]\r\r")) {
			assertThat(values(outcome(server.baseUrl(), STREAM))).containsExactly("word ", "word ");
		}
	}

	@Test
	void sseDataWithoutASpaceIsRead() throws IOException {
		try (RawServer server = RawServer.answering(sseHead() + "data:" + CHUNK + "\n\ndata:[DONE]\n\n")) {
			assertThat(values(outcome(server.baseUrl(), STREAM))).containsExactly("word ");
		}
	}

	@Test
	void multiLineDataEventIsRead() throws IOException {
		String split = CHUNK.replace(",\"choices\"", "\ndata: ,\"choices\"");
		try (RawServer server = RawServer.answering(sseHead() + "id: 1\nevent: message\nretry: 10\ndata: " + split
				+ "\n\ndata: [DONE]\n\n")) {
			assertThat(values(outcome(server.baseUrl(), STREAM))).containsExactly("word ");
		}
	}

	@Test
	void byteOrderMarkAtTheStartOfTheStreamIsIgnored() throws IOException {
		ByteArrayOutputStream answer = new ByteArrayOutputStream();
		answer.write(bytes(sseHead()));
		answer.write(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF });
		answer.write(bytes("data: " + CHUNK + "\n\ndata: [DONE]\n\n"));
		try (RawServer server = RawServer.answering(answer.toByteArray())) {
			assertThat(values(outcome(server.baseUrl(), STREAM))).containsExactly("word ");
		}
	}

	@Test
	void byteOrderMarkAtTheStartOfAChatBodyIsReadOrInvalid() throws IOException {
		ByteArrayOutputStream answer = new ByteArrayOutputStream();
		byte[] body = bytes(COMPLETION);
		answer.write(bytes(head("200 OK", "Content-Type: application/json", "Content-Length: " + (body.length + 3))));
		answer.write(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF });
		answer.write(body);
		try (RawServer server = RawServer.answering(answer.toByteArray())) {
			Object outcome = outcome(server.baseUrl(), CHAT);
			if (outcome instanceof Throwable) {
				expectFailure(outcome, KlusterInvalidResponseException.class, "kluster.ai");
			}
		}
	}

	// ---------------------------------------------------------------- status codes

	@Test
	void status418IsAnApiException() throws IOException {
		expectStatus(418, KlusterApiException.class);
	}

	@Test
	void status499IsAnApiException() throws IOException {
		expectStatus(499, KlusterApiException.class);
	}

	@Test
	void status599IsAServerException() throws IOException {
		expectStatus(599, KlusterServerException.class);
	}

	@Test
	void status600IsAnApiException() throws IOException {
		expectStatus(600, KlusterApiException.class);
	}

	@Test
	void status999IsAnApiException() throws IOException {
		expectStatus(999, KlusterApiException.class);
	}

	private static void expectStatus(int status, Class<? extends KlusterApiException> type) throws IOException {
		String body = "{\"error\":{\"message\":\"status " + status + "\"}}";
		try (RawServer server = RawServer.answering(head(status + " Whatever", "Content-Type: application/json",
				"Content-Length: " + body.length()) + body)) {
			for (Function<KlusterChatClient, Publisher<?>> call : List.of(CHAT, STREAM, MODELS)) {
				Object outcome = outcome(server.baseUrl(), call);
				expectFailure(outcome, type, String.valueOf(status));
				assertThat(((KlusterApiException) outcome).statusCode()).isEqualTo(status);
			}
			Object outcome = outcome(server.baseUrl(), (client) -> client.chat(request()));
			expectFailure(outcome, type, String.valueOf(status));
		}
	}

	@Test
	void jsonSuccessWithAnUnexpectedContentTypeForModelsIsReadOrInvalid() throws IOException {
		String body = "{\"object\":\"list\",\"data\":[]}";
		try (RawServer server = RawServer.answering(head("200 OK", "Content-Type: application/octet-stream",
				"Content-Length: " + body.length()) + body)) {
			Object outcome = outcome(server.baseUrl(), MODELS);
			if (outcome instanceof Throwable) {
				expectFailure(outcome, KlusterInvalidResponseException.class, "kluster.ai");
			}
		}
	}

	@Test
	void invalidJsonForModelsEchoingTheKeyIsARedactedInvalidResponse(CapturedOutput output) throws IOException {
		String body = "{\"object\":\"list\",\"data\":[Bearer " + KEY + "]}";
		try (RawServer server = RawServer.answering(json200(body))) {
			expectFailure(outcome(server.baseUrl(), MODELS), KlusterInvalidResponseException.class, "kluster.ai");
		}
		assertThat(output.getAll()).doesNotContain(KEY);
	}

	@Test
	void htmlSuccessForABatchReadIsAnInvalidResponse() throws IOException {
		String body = "<html><body>Welcome to our captive portal</body></html>";
		try (RawServer server = RawServer.answering(head("200 OK", "Content-Type: text/html",
				"Content-Length: " + body.length()) + body)) {
			Object outcome = batchOutcome(server.baseUrl(), (batches) -> batches.retrieve("batch_1"));
			expectFailure(outcome, KlusterInvalidResponseException.class, "kluster.ai");
		}
	}

	@Test
	void jsonCompletionAnsweredToAStreamIsAnInvalidResponse() throws IOException {
		try (RawServer server = RawServer.answering(json200(COMPLETION))) {
			expectFailure(outcome(server.baseUrl(), STREAM), KlusterInvalidResponseException.class, "kluster.ai");
		}
	}

	@Test
	void crossOriginRedirectOfAPromptToAReachableServerSendsNothingThere() throws IOException {
		try (RawServer target = RawServer.answering(json200(COMPLETION))) {
			String location = target.baseUrl().replace("127.0.0.1", "localhost") + "/chat/completions";
			try (RawServer server = RawServer.answering(head("307 Temporary Redirect", "Location: " + location,
					"Content-Length: 0"))) {
				expectFailure(outcome(server.baseUrl(), CHAT), KlusterRedirectException.class, "localhost");
			}
			assertThat(target.requests()).allMatch((r) -> !r.contains(KEY) && !r.startsWith("POST"));
		}
	}

	@Test
	void informationalStatusAsTheOnlyAnswerIsTyped() throws IOException {
		try (RawServer server = RawServer.answering("HTTP/1.1 150 Odd\r\nContent-Length: 2\r\n\r\n{}")) {
			expectFailure(outcome(server.baseUrl(), CHAT), KlusterException.class, "kluster.ai",
					KlusterTimeoutException.class, KlusterInvalidResponseException.class, KlusterApiException.class,
					KlusterConnectionException.class);
		}
	}

	@Test
	void unauthorizedWithWwwAuthenticateIsAnAuthenticationException() throws IOException {
		String body = "{\"error\":{\"message\":\"Invalid API key\",\"code\":\"invalid_api_key\"}}";
		try (RawServer server = RawServer.answering(head("401 Unauthorized",
				"WWW-Authenticate: Bearer realm=\"kluster\", error=\"invalid_token\"", "Content-Type: application/json",
				"Content-Length: " + body.length()) + body)) {
			expectFailure(outcome(server.baseUrl(), CHAT), KlusterAuthenticationException.class, "Invalid API key");
			expectFailure(outcome(server.baseUrl(), STREAM), KlusterAuthenticationException.class, "Invalid API key");
			expectFailure(outcome(server.baseUrl(), MODELS), KlusterAuthenticationException.class, "Invalid API key");
			assertThat(server.connections()).isEqualTo(3);
		}
	}

	@Test
	void hostileRetryAfterIsCappedByMaxBackoff() throws IOException {
		for (String retryAfter : List.of("-1", "99999999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT",
				"31536000", "soon", "1.5")) {
			String body = "{\"error\":{\"message\":\"slow down\"}}";
			try (RawServer server = RawServer.answering(head("429 Too Many Requests", "Retry-After: " + retryAfter,
					"Content-Type: application/json", "Content-Length: " + body.length()) + body)) {
				long start = System.nanoTime();
				Object outcome = outcome(server.baseUrl(), CHAT, "kluster.retry.enabled=true",
						"kluster.retry.max-attempts=3", "kluster.retry.max-backoff=200ms", "kluster.total-timeout=10s");
				expectFailure(outcome, KlusterRateLimitException.class, "slow down");
				assertThat(((KlusterException) outcome).attempts()).as(retryAfter).isEqualTo(3);
				assertThat(server.connections()).as(retryAfter).isEqualTo(3);
				assertThat(Duration.ofNanos(System.nanoTime() - start)).as(retryAfter)
					.isLessThan(Duration.ofSeconds(5));
				((KlusterRateLimitException) outcome).retryAfter()
					.ifPresent((wait) -> assertThat(wait.isNegative()).as(retryAfter).isFalse());
			}
		}
	}

	@Test
	void statusLineWithoutReasonPhraseIsRead() throws IOException {
		try (RawServer server = RawServer.answering(json200(COMPLETION).replace("200 OK", "200"))) {
			assertThat(values(outcome(server.baseUrl(), CHAT))).containsExactly("Hello there");
		}
	}

	@Test
	void conflictingContentLengthsAreTyped() throws IOException {
		try (RawServer server = RawServer.answering(head("200 OK", "Content-Type: application/json",
				"Content-Length: 10", "Content-Length: " + COMPLETION.length()) + COMPLETION)) {
			expectFailure(outcome(server.baseUrl(), CHAT), KlusterException.class, "kluster.ai",
					KlusterInvalidResponseException.class, KlusterConnectionException.class);
		}
		try (RawServer server = RawServer.answering(head("200 OK", "Content-Type: application/json",
				"Content-Length: -1") + COMPLETION)) {
			expectFailure(outcome(server.baseUrl(), CHAT), KlusterException.class, "kluster.ai",
					KlusterInvalidResponseException.class, KlusterConnectionException.class);
		}
	}

	@Test
	void echoedKeyInResponseHeadersStaysOutOfTraceLogs(CapturedOutput output) throws IOException {
		String body = "{\"error\":{\"message\":\"nope\"}}";
		try (RawServer server = RawServer.answering(head("401 Unauthorized", "Content-Type: application/json",
				"X-Echo-Authorization: Bearer " + KEY, "Set-Cookie: k=" + KEY, "x-request-id: " + KEY,
				"Content-Length: " + body.length()) + body)) {
			KlusterContexts.withTraceLogging(() -> {
				expectFailure(outcome(server.baseUrl(), CHAT), KlusterAuthenticationException.class, "nope");
				expectFailure(outcome(server.baseUrl(), STREAM), KlusterAuthenticationException.class, "nope");
			}, "dev.kluster", "org.springframework.web.reactive.function.client", "org.springframework.http",
					"reactor.netty", "io.netty");
		}
		assertThat(output.getAll()).doesNotContain(KEY);
	}

	@Test
	void endlessErrorBodyIsTooLargeOrCutToAnApiError() throws IOException {
		try (RawServer server = RawServer.scripted((in, out, n) -> {
			out.write(bytes(head("500 Internal Server Error", "Content-Type: text/html", "Connection: close")));
			byte[] block = bytes("<p>" + "e".repeat(8188) + "</p>");
			for (int i = 0; i < 12_800; i++) {
				out.write(block);
			}
		})) {
			for (Function<KlusterChatClient, Publisher<?>> call : List.of(CHAT, STREAM, MODELS)) {
				expectFailure(outcome(server.baseUrl(), call), KlusterException.class, "kluster.ai",
						KlusterResponseTooLargeException.class, KlusterServerException.class);
			}
		}
	}

	@Test
	void serverErrorWithHostileRetryAfterIsRetriedWithinMaxBackoff() throws IOException {
		String body = "{\"error\":{\"message\":\"overloaded\"}}";
		try (RawServer server = RawServer.answering(head("503 Service Unavailable", "Retry-After: 86400",
				"Content-Type: application/json", "Content-Length: " + body.length()) + body)) {
			long start = System.nanoTime();
			Object outcome = outcome(server.baseUrl(), STREAM, "kluster.retry.enabled=true",
					"kluster.retry.max-attempts=3", "kluster.retry.max-backoff=200ms", "kluster.total-timeout=10s");
			expectFailure(outcome, KlusterServerException.class, "overloaded");
			assertThat(((KlusterException) outcome).attempts()).isEqualTo(3);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		}
	}

	// ---------------------------------------------------------------- batch

	@Test
	void batchFileOverTheLimitIsTooLarge() throws IOException {
		try (RawServer server = RawServer.scripted((in, out, n) -> {
			out.write(bytes(head("200 OK", "Content-Type: application/json", "Connection: close") + "{\"id\":\""));
			byte[] block = bytes("a".repeat(8192));
			for (int i = 0; i < 12_800; i++) {
				out.write(block);
			}
		})) {
			Object outcome = batchOutcome(server.baseUrl(), (batches) -> batches.file("file_1"));
			expectFailure(outcome, KlusterResponseTooLargeException.class, "");
		}
	}

	// ---------------------------------------------------------------- helpers

	private static ChatCompletionRequest request() {
		return ChatCompletionRequest.builder().message(ChatMessage.user("Hi")).build();
	}

	private static ApplicationContextRunner runner(String baseUrl, String... extra) {
		return KlusterContexts.runner(baseUrl).withPropertyValues(LIMITS).withPropertyValues(extra);
	}

	/** The values the call emitted, or its failure; a hang shows as Reactor's block timeout. */
	private static Object outcome(String baseUrl, Function<KlusterChatClient, Publisher<?>> call, String... extra) {
		AtomicReference<Object> result = new AtomicReference<>();
		runner(baseUrl, extra).run((context) -> {
			KlusterChatClient client = context.getBean(KlusterChatClient.class);
			try {
				List<Object> values = new ArrayList<>();
				Flux.from(call.apply(client)).doOnNext(values::add).then().block(HANG);
				result.set(values);
			}
			catch (Throwable ex) {
				result.set(ex);
			}
		});
		return result.get();
	}

	private static Object batchOutcome(String baseUrl, Function<KlusterBatchClient, Publisher<?>> call,
			String... extra) {
		AtomicReference<Object> result = new AtomicReference<>();
		runner(baseUrl, extra).run((context) -> {
			try {
				result.set(Flux.from(call.apply(context.getBean(KlusterBatchClient.class))).collectList().block(HANG));
			}
			catch (Throwable ex) {
				result.set(ex);
			}
		});
		return result.get();
	}

	@SuppressWarnings("unchecked")
	private static List<Object> values(Object outcome) {
		if (outcome instanceof Throwable ex) {
			fail("expected success but got " + describe(ex), ex);
		}
		List<Object> values = (List<Object>) outcome;
		return values.stream().map((v) -> (v instanceof ChatCompletion completion) ? completion.text() : v).toList();
	}

	@SafeVarargs
	private static void expectFailure(Object outcome, Class<? extends KlusterException> type, String messagePart,
			Class<? extends KlusterException>... oneOf) {
		if (!(outcome instanceof Throwable ex)) {
			fail("expected " + type.getSimpleName() + " but the call succeeded with " + outcome);
			return;
		}
		if (ex instanceof IllegalStateException && String.valueOf(ex.getMessage()).contains("Timeout on blocking")) {
			fail("HANG: no signal within " + HANG + " (expected " + type.getSimpleName() + ")");
		}
		assertThat(ex).as(describe(ex)).isInstanceOf(type);
		if (oneOf.length > 0) {
			assertThat(List.of(oneOf)).as(describe(ex)).anyMatch((t) -> t.isInstance(ex));
		}
		assertThat(ex.getMessage()).as(describe(ex)).containsIgnoringCase(messagePart);
		assertThat(ex.getMessage()).as("message quotes the key").doesNotContain(KEY);
		assertThat(stackTrace(ex)).as("stack trace quotes the key").doesNotContain(KEY);
	}

	private static void expectTimeout(Object outcome, String limit) {
		expectFailure(outcome, KlusterTimeoutException.class, limit);
		assertThat(((KlusterTimeoutException) outcome).limit()).isEqualTo(limit);
	}

	private static String describe(Throwable ex) {
		String trace = stackTrace(ex);
		return ex.getClass().getName() + ": " + ex.getMessage() + "\n"
				+ trace.substring(0, Math.min(trace.length(), 3000));
	}

	private static String stackTrace(Throwable ex) {
		StringWriter writer = new StringWriter();
		ex.printStackTrace(new PrintWriter(writer));
		return writer.toString();
	}

	private static String head(String status, String... headers) {
		StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append("\r\n");
		for (String header : headers) {
			head.append(header).append("\r\n");
		}
		return head.append("\r\n").toString();
	}

	private static String json200(String body) {
		return head("200 OK", "Content-Type: application/json",
				"Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length) + body;
	}

	private static String sseHead() {
		return head("200 OK", "Content-Type: text/event-stream", "Connection: close");
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
