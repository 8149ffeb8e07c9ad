package dev.kluster.boot.client;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import reactor.core.publisher.Flux;

/**
 * The answers that the clients' warm-ups read: made in memory, so that the readers are
 * made and run as for a real answer, from the body of a {@link ClientResponse}, without
 * anything sent anywhere.
 */
final class WarmUpAnswers {

	private WarmUpAnswers() {
	}

	static ClientResponse answer(byte[] body, MediaType contentType) {
		return ClientResponse.create(HttpStatus.OK)
			.header(HttpHeaders.CONTENT_TYPE, contentType.toString())
			.body(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)))
			.build();
	}

}
