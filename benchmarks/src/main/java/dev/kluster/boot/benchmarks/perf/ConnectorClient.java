package dev.kluster.boot.benchmarks.perf;

import java.net.URI;

import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import reactor.core.publisher.Mono;

/**
 * An experiment, not a client users get: Spring's {@link ReactorClientHttpConnector},
 * the layer under {@code WebClient}, called directly with the body written by Jackson and
 * the answer read from its buffers, as the project's client does. The gap between this
 * row and {@code kluster-direct} is what {@code WebClient}'s own exchange costs; the gap
 * to the floor is what Spring's reactive HTTP abstraction costs over Reactor Netty.
 */
final class ConnectorClient implements BenchClient {

	// Reactor Netty's defaults, as the floor's: the connector's no-argument constructor
	// would also turn compression on.
	private final ClientHttpConnector connector = new ReactorClientHttpConnector(HttpClient.create());

	private final JsonMapper mapper = JsonMapper.shared();

	private final String address;

	ConnectorClient(String address, boolean observed) {
		this.address = address;
	}

	private byte[] body(Boolean stream) {
		return this.mapper.writeValueAsBytes(ChatCompletionRequest.builder()
			.model(MODEL)
			.message(ChatMessage.user(PROMPT))
			.maxCompletionTokens(MAX_TOKENS)
			.stream(stream)
			.build());
	}

	private Mono<org.springframework.http.client.reactive.ClientHttpResponse> post(String target, byte[] body,
			MediaType accept) {
		return this.connector.connect(HttpMethod.POST, URI.create(this.address + "/" + target + "/v1/chat/completions"),
				(request) -> {
					HttpHeaders headers = request.getHeaders();
					headers.setContentType(MediaType.APPLICATION_JSON);
					headers.set(HttpHeaders.ACCEPT, accept.toString());
					headers.set(HttpHeaders.AUTHORIZATION, "Bearer bench");
					return request.writeWith(Mono.just(request.bufferFactory().wrap(body)));
				});
	}

	@Override
	public void chat(Call call) {
		post("chat", body(null), MediaType.APPLICATION_JSON)
			.flatMap((response) -> DataBufferUtils.join(response.getBody()))
			.map((buffer) -> {
				try (var in = buffer.asInputStream(true)) {
					return this.mapper.readValue(in, ChatCompletion.class);
				}
				catch (java.io.IOException ex) {
					throw new IllegalStateException(ex);
				}
			})
			.subscribe((completion) -> call.done(null, 1), (error) -> call.done(error, 0));
	}

	@Override
	public Runnable stream(String target, Call call) {
		int[] count = new int[1];
		KlusterDirectClient.Lines lines = new KlusterDirectClient.Lines(this.mapper, () -> {
			if (count[0]++ == 0) {
				call.first();
			}
		});
		Disposable subscription = post(target, body(true), MediaType.TEXT_EVENT_STREAM)
			.flatMapMany((response) -> response.getBody())
			.doOnNext(lines::consume)
			.subscribe(null, (error) -> call.done(error, count[0]), () -> call.done(null, count[0]));
		return subscription::dispose;
	}

}
