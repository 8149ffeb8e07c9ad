package dev.kluster.boot.client;

import java.net.URI;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Tests of {@link CompleteAtEnd#BODY_RELEASED_BY_WATCH}: the response of a stream is
 * released by the watch that reads its body, not by {@code WebClient} a second time.
 */
class CompleteAtEndTests {

	private final ClientRequest request = ClientRequest.create(HttpMethod.POST, URI.create("http://127.0.0.1/"))
		.build();

	@Test
	void aResponseWhoseBodyWasTakenIsNotReleasedAgain() {
		ClientResponse response = mock(ClientResponse.class);
		ClientResponse filtered = filter(response);
		filtered.body(BodyExtractors.toDataBuffers());
		filtered.releaseBody().block();
		verify(response, never()).releaseBody();
	}

	@Test
	void aResponseWhoseBodyWasNotTakenIsReleased() {
		ClientResponse response = mock(ClientResponse.class);
		when(response.releaseBody()).thenReturn(Mono.empty());
		filter(response).releaseBody().block();
		verify(response).releaseBody();
	}

	private ClientResponse filter(ClientResponse response) {
		ClientResponse filtered = CompleteAtEnd.BODY_RELEASED_BY_WATCH
			.filter(this.request, (request) -> Mono.just(response))
			.block();
		assertThat(filtered).isNotNull();
		return filtered;
	}

}
