package dev.kluster.boot.client;

import java.net.URI;
import java.util.function.Function;

import reactor.netty.http.client.HttpClientRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpResponse;
import org.springframework.util.Assert;
import reactor.core.publisher.Mono;

/**
 * {@link ClientHttpConnector} that adds the API key as a bearer token to requests for
 * kluster.ai's origin, and to no other request.
 * <p>
 * The header is added here, below {@code WebClient}, for two reasons. Spring's exchange
 * logging (with {@code spring.codec.log-request-details=true} at {@code TRACE}) prints
 * the headers of the {@code ClientRequest}, which therefore never holds the key. And
 * when the underlying HTTP client follows a redirect it runs the request callback again
 * for the new location: the header is only added, and otherwise removed, depending on
 * whether that location has the same scheme, host and port as the base URL, so no
 * {@code Authorization} header follows a redirect to another host.
 *
 * @since 0.1.0
 */
public final class KlusterAuthorizationConnector implements ClientHttpConnector {

	private final ClientHttpConnector delegate;

	private final String authorization;

	private final URI origin;

	// Taken apart once: the check runs on every request.
	private final String originScheme;

	private final String originHost;

	private final int originPort;

	/**
	 * Create a connector.
	 * @param delegate the connector that does the HTTP work
	 * @param apiKey the API key
	 * @param baseUrl the base URL whose origin the key is sent to
	 */
	public KlusterAuthorizationConnector(ClientHttpConnector delegate, String apiKey, String baseUrl) {
		Assert.hasText(apiKey, "apiKey must not be empty");
		this.delegate = delegate;
		this.authorization = "Bearer " + apiKey;
		this.origin = URI.create(baseUrl);
		this.originScheme = this.origin.getScheme();
		this.originHost = this.origin.getHost();
		this.originPort = port(this.origin);
	}

	@Override
	public Mono<ClientHttpResponse> connect(HttpMethod method, URI uri,
			Function<? super ClientHttpRequest, Mono<Void>> requestCallback) {
		return this.delegate.connect(method, uri, (request) -> {
			if (sameOrigin(target(request))) {
				request.getHeaders().set(HttpHeaders.AUTHORIZATION, this.authorization);
			}
			else {
				request.getHeaders().remove(HttpHeaders.AUTHORIZATION);
			}
			return requestCallback.apply(request);
		});
	}

	// Reactor Netty reuses the callback for a redirect but keeps reporting the original
	// URI through ClientHttpRequest.getURI(); its native request knows where it goes.
	// Only a redirected request needs that URL parsed.
	private static URI target(ClientHttpRequest request) {
		Object nativeRequest = nativeRequest(request);
		if (nativeRequest instanceof HttpClientRequest reactorRequest && reactorRequest.redirectedFrom().length > 0) {
			return URI.create(reactorRequest.resourceUrl());
		}
		return request.getURI();
	}

	private static Object nativeRequest(ClientHttpRequest request) {
		try {
			return request.getNativeRequest();
		}
		catch (RuntimeException | LinkageError ex) {
			return request;
		}
	}

	private boolean sameOrigin(URI target) {
		return this.originScheme.equalsIgnoreCase(target.getScheme()) && this.originHost.equalsIgnoreCase(target.getHost())
				&& this.originPort == port(target);
	}

	private static int port(URI uri) {
		if (uri.getPort() != -1) {
			return uri.getPort();
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

	@Override
	public String toString() {
		return "KlusterAuthorizationConnector[origin=" + this.origin.getScheme() + "://" + this.origin.getAuthority()
				+ ", delegate=" + this.delegate.getClass().getSimpleName() + "]";
	}

}
