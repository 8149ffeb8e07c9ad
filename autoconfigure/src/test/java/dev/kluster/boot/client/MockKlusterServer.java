package dev.kluster.boot.client;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.kluster.boot.contract.OpenAiContract;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A scripted HTTP server on 127.0.0.1 for client tests. After each test, every chat
 * completion and embedding request body the client sent is checked against OpenAI's
 * published {@code CreateChatCompletionRequest} and {@code CreateEmbeddingRequest}
 * schemas, so every test doubles as a contract test.
 */
public final class MockKlusterServer implements BeforeEachCallback, AfterEachCallback {

	private MockWebServer server;

	private final List<RecordedRequest> taken = new ArrayList<>();

	@Override
	public void beforeEach(ExtensionContext context) throws IOException {
		this.server = new MockWebServer();
		this.server.start(InetAddress.getLoopbackAddress(), 0);
		this.taken.clear();
	}

	@Override
	public void afterEach(ExtensionContext context) throws Exception {
		try {
			RecordedRequest request;
			while ((request = this.server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
				this.taken.add(request);
			}
			for (RecordedRequest recorded : this.taken) {
				if (recorded.getTarget().endsWith("/chat/completions") && recorded.getBody() != null) {
					OpenAiContract.assertValidChatCompletionRequest(recorded.getBody().utf8());
				}
				if (recorded.getTarget().endsWith("/embeddings") && recorded.getBody() != null) {
					OpenAiContract.assertValid("CreateEmbeddingRequest", recorded.getBody().utf8());
				}
			}
		}
		finally {
			this.server.close();
		}
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.getPort() + "/v1";
	}

	public int requestCount() {
		return this.server.getRequestCount();
	}

	public void enqueue(MockResponse response) {
		this.server.enqueue(response);
	}

	public void enqueueJson(int status, String json) {
		enqueue(new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json").body(json).build());
	}

	/**
	 * Enqueue a server-sent event stream whose body is written a few bytes at a time, so
	 * that events arrive split across network reads.
	 */
	public void enqueueStream(String body, long bytesPerRead) {
		enqueue(new MockResponse.Builder().code(200)
			.setHeader("Content-Type", "text/event-stream")
			.body(body)
			.throttleBody(bytesPerRead, 1, TimeUnit.MILLISECONDS)
			.build());
	}

	public RecordedRequest takeRequest() throws InterruptedException {
		RecordedRequest request = this.server.takeRequest(5, TimeUnit.SECONDS);
		if (request == null) {
			throw new AssertionError("The server received no request");
		}
		this.taken.add(request);
		return request;
	}

	public static String sse(String... dataLines) {
		StringBuilder body = new StringBuilder();
		for (String data : dataLines) {
			body.append("data: ").append(data).append("\n\n");
		}
		return body.toString();
	}

}
