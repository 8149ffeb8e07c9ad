package dev.kluster.boot.transport;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.http.client.HttpClientResponse;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpRequestDecorator;
import org.springframework.http.client.reactive.ClientHttpResponse;
import org.springframework.util.Assert;
import reactor.core.publisher.Mono;
import dev.kluster.boot.error.KlusterException;
import dev.kluster.boot.error.KlusterRedaction;
import dev.kluster.boot.error.KlusterRedirectException;

/**
 * {@link ClientHttpConnector} that adds the API key as a bearer token to requests for
 * kluster.ai's origin, and to no other request, and that decides which redirects a
 * request with a body may follow.
 * <p>
 * The header is added here, below {@code WebClient}, for two reasons. Spring's exchange
 * logging (with {@code spring.codec.log-request-details=true} at {@code TRACE}) prints
 * the headers of the {@code ClientRequest}, which therefore never holds the key. And
 * when the underlying HTTP client follows a redirect it runs the request callback again
 * for the new location: the header is only added, and otherwise removed, depending on
 * whether that location has the same scheme, host and port as the base URL, so no
 * {@code Authorization} header follows a redirect to another host.
 * <p>
 * In that same callback, a redirected request to another origin that would carry a body
 * (a prompt, a batch upload) fails with a {@link KlusterRedirectException} before
 * anything of it is written, unless following such redirects was allowed
 * ({@code kluster.follow-cross-origin-redirects}). A request without a body follows the
 * redirect, without the key. Redirects within kluster.ai's origin are followed as the
 * HTTP client follows them. This covers every Reactor Netty connector, including one the
 * application supplies; whether redirects are followed at all stays the HTTP client's
 * setting ({@code spring.http.clients.redirects}).
 *
 * @since 0.1.0
 */
public final class KlusterAuthorizationConnector implements ClientHttpConnector {

	private final ClientHttpConnector delegate;

	private final String authorization;

	private final KlusterRedaction redaction;

	private final URI origin;

	// Taken apart once: the check runs on every request.
	private final String originScheme;

	private final String originHost;

	private final int originPort;

	private final boolean followCrossOriginRedirects;

	/**
	 * Create a connector that does not let a request with a body follow a redirect to
	 * another origin.
	 * @param delegate the connector that does the HTTP work
	 * @param apiKey the API key
	 * @param baseUrl the base URL whose origin the key is sent to
	 */
	public KlusterAuthorizationConnector(ClientHttpConnector delegate, String apiKey, String baseUrl) {
		this(delegate, apiKey, baseUrl, false);
	}

	/**
	 * Create a connector.
	 * @param delegate the connector that does the HTTP work
	 * @param apiKey the API key
	 * @param baseUrl the base URL whose origin the key is sent to
	 * @param followCrossOriginRedirects whether a request with a body may follow a
	 * redirect to another origin (without the key), rather than fail with a
	 * {@link KlusterRedirectException}
	 */
	public KlusterAuthorizationConnector(ClientHttpConnector delegate, String apiKey, String baseUrl,
			boolean followCrossOriginRedirects) {
		Assert.hasText(apiKey, "apiKey must not be empty");
		this.delegate = delegate;
		this.authorization = "Bearer " + apiKey;
		this.redaction = KlusterRedaction.of(apiKey);
		this.origin = URI.create(baseUrl);
		this.originScheme = this.origin.getScheme();
		this.originHost = this.origin.getHost();
		this.originPort = port(this.origin);
		this.followCrossOriginRedirects = followCrossOriginRedirects;
	}

	@Override
	public Mono<ClientHttpResponse> connect(HttpMethod method, URI uri,
			Function<? super ClientHttpRequest, Mono<Void>> requestCallback) {
		return Mono.defer(() -> {
			AtomicReference<Object> first = new AtomicReference<>();
			return this.delegate.connect(method, uri, (request) -> {
				URI redirectedTo = redirectedTo(request);
				if (redirectedTo == null) {
					first.set(nativeRequest(request));
				}
				URI target = (redirectedTo != null) ? redirectedTo : request.getURI();
				if (sameOrigin(target)) {
					request.getHeaders().set(HttpHeaders.AUTHORIZATION, this.authorization);
					return requestCallback.apply(request);
				}
				request.getHeaders().remove(HttpHeaders.AUTHORIZATION);
				if (redirectedTo == null || this.followCrossOriginRedirects) {
					return requestCallback.apply(request);
				}
				return requestCallback.apply(new BodilessRequest(request, redacted(redirectedTo)));
			}).onErrorMap((ex) -> !(ex instanceof KlusterException), (ex) -> refusedRedirect(method, uri, first.get(), ex));
		});
	}

	// Reactor Netty connects to a redirect's target before it runs the callback that would
	// refuse to send the body there: when that connection fails, the failure names neither
	// the redirect nor its target, and would be retried as a connection failure. The first
	// request's native object is also its response (HttpClientOperations), which still has
	// the redirect's status and Location.
	private Throwable refusedRedirect(HttpMethod method, URI uri, @Nullable Object first, Throwable failure) {
		if (this.followCrossOriginRedirects || !(first instanceof HttpClientResponse response)
				|| !hasBody(method)) {
			return failure;
		}
		int status = response.status().code();
		String location = response.responseHeaders().get(HttpHeaders.LOCATION);
		if (status < 300 || status >= 400 || location == null) {
			return failure;
		}
		URI target;
		try {
			target = uri.resolve(location);
		}
		catch (IllegalArgumentException ex) {
			return failure;
		}
		if (target.getScheme() == null || target.getHost() == null || sameOrigin(target)) {
			return failure;
		}
		KlusterRedirectException refused = new KlusterRedirectException(redacted(target));
		refused.initCause(failure);
		return refused;
	}

	private static boolean hasBody(HttpMethod method) {
		return !(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)
				|| HttpMethod.DELETE.equals(method) || HttpMethod.OPTIONS.equals(method)
				|| HttpMethod.TRACE.equals(method));
	}

	// Reactor Netty reuses the callback for a redirect but keeps reporting the original
	// URI through ClientHttpRequest.getURI(); its native request knows where it goes.
	// Only a redirected request needs that URL parsed.
	private static @Nullable URI redirectedTo(ClientHttpRequest request) {
		Object nativeRequest = nativeRequest(request);
		if (nativeRequest instanceof HttpClientRequest reactorRequest && reactorRequest.redirectedFrom().length > 0) {
			return URI.create(reactorRequest.resourceUrl());
		}
		return null;
	}

	private static Object nativeRequest(ClientHttpRequest request) {
		try {
			return request.getNativeRequest();
		}
		catch (RuntimeException | LinkageError ex) {
			return request;
		}
	}

	// The target is server text: a Location header may echo the key, which then must not
	// reach the exception's message.
	private URI redacted(URI location) {
		String text = location.toString();
		String redacted = this.redaction.redact(text);
		if (redacted.equals(text)) {
			return location;
		}
		try {
			return new URI(redacted);
		}
		catch (URISyntaxException ex) {
			return URI.create(location.getScheme() + "://" + location.getHost()
					+ ((location.getPort() != -1) ? ":" + location.getPort() : ""));
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
				+ ", followCrossOriginRedirects=" + this.followCrossOriginRedirects + ", delegate="
				+ this.delegate.getClass().getSimpleName() + "]";
	}

	/**
	 * A redirected request to another origin that may go out only without a body: the
	 * callback either completes it empty or hands it a body, and a body fails the
	 * exchange before the request's headers are written. The body is not subscribed to,
	 * so nothing of it is produced: a batch upload's requests are not read.
	 */
	private static final class BodilessRequest extends ClientHttpRequestDecorator {

		private final URI location;

		BodilessRequest(ClientHttpRequest delegate, URI location) {
			super(delegate);
			this.location = location;
		}

		@Override
		public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
			return Mono.error(new KlusterRedirectException(this.location));
		}

		@Override
		public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
			return Mono.error(new KlusterRedirectException(this.location));
		}

	}

}
