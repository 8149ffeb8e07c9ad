package dev.kluster.boot.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.micrometer.observation.ObservationRegistry;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * One exchange of a {@code WebClient} with a server on the loopback interface, started for
 * it and stopped after it: what {@link KlusterConnection#warmUp()} runs so that the code
 * of a call, from the {@code WebClient} down to the socket, has run once before the first
 * call. The request is a chat request's size and shape, and so is the answer; the server
 * closes the connection after it, so that nothing of the exchange stays in the pool.
 */
final class LoopbackExchange {

	private static final byte[] REQUEST = ("{\"model\":\"warm-up\",\"messages\":[{\"role\":\"user\","
			+ "\"content\":\"warm-up\"}],\"stream\":false}")
		.getBytes(StandardCharsets.UTF_8);

	private static final byte[] ANSWER = ("{\"id\":\"warm-up\",\"object\":\"chat.completion\",\"created\":0,"
			+ "\"model\":\"warm-up\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
			+ "\"content\":\"warm-up\"},\"finish_reason\":\"stop\"}]}")
		.getBytes(StandardCharsets.UTF_8);

	// The exchange takes milliseconds once the classes are loaded, a second or two on a
	// slow machine before: longer means something is wrong.
	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private LoopbackExchange() {
	}

	static void run(WebClient webClient) {
		DisposableServer server = HttpServer.create()
			.host(InetAddress.getLoopbackAddress().getHostAddress())
			.port(0)
			.handle((request, response) -> request.receive()
				.then(response.keepAlive(false)
					.header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
					.sendByteArray(Mono.just(ANSWER))
					.then()))
			.bindNow();
		try {
			// Without the filters (the application's, the concurrency limit) and without
			// observation: the exchange is no call of the application's.
			webClient.mutate()
				.filters(List::clear)
				.observationRegistry(ObservationRegistry.NOOP)
				.build()
				.post()
				.uri(uri(server))
				.contentType(MediaType.APPLICATION_JSON)
				.accept(MediaType.APPLICATION_JSON)
				.body((message, context) -> {
					message.getHeaders().setContentLength(REQUEST.length);
					return message.writeWith(Mono.fromSupplier(() -> message.bufferFactory().wrap(REQUEST)));
				})
				.exchangeToMono((response) -> DataBufferUtils.join(response.body(BodyExtractors.toDataBuffers()))
					.doOnNext(DataBufferUtils::release))
				.block(TIMEOUT);
		}
		finally {
			server.disposeNow();
		}
	}

	private static URI uri(DisposableServer server) {
		InetSocketAddress address = (InetSocketAddress) server.address();
		try {
			return new URI("http", null, address.getHostString(), address.getPort(), "/v1/chat/completions", null,
					null);
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
