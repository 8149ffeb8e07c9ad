package dev.kluster.boot.resilience;

import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpResponse;
import org.springframework.http.client.reactive.ClientHttpResponseDecorator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A connector that counts the exchanges it has open, from the moment one is started until
 * its response body has ended, failed or been cancelled.
 * <p>
 * It sits below every exchange filter, so the count is taken on the same signals the
 * concurrency limit reacts to, and in the right order: an exchange is counted only after
 * its slot was taken and stops being counted before its slot is given back (the
 * {@code doOn*} hooks run before a signal travels on, the limit's {@code doFinally}
 * after). A server's own count cannot be ordered that way: it learns that a connection
 * is done only some time after the client does.
 */
final class ExchangeCountingConnector implements ClientHttpConnector {

	private final ClientHttpConnector delegate;

	private final AtomicInteger open = new AtomicInteger();

	private final AtomicInteger maxOpen = new AtomicInteger();

	ExchangeCountingConnector(ClientHttpConnector delegate) {
		this.delegate = delegate;
	}

	@Override
	public Mono<ClientHttpResponse> connect(HttpMethod method, URI uri,
			Function<? super ClientHttpRequest, Mono<Void>> requestCallback) {
		return Mono.defer(() -> {
			Exchange exchange = new Exchange();
			return this.delegate.connect(method, uri, requestCallback)
				.doOnError((ex) -> exchange.end())
				.doOnCancel(exchange::end)
				.<ClientHttpResponse>map((response) -> new ClientHttpResponseDecorator(response) {
					@Override
					public Flux<DataBuffer> getBody() {
						return super.getBody()
							.doOnComplete(exchange::end)
							.doOnError((ex) -> exchange.end())
							.doOnCancel(exchange::end);
					}
				});
		});
	}

	int open() {
		return this.open.get();
	}

	int maxOpen() {
		return this.maxOpen.get();
	}

	/** One exchange, counted out exactly once. */
	private final class Exchange {

		private final AtomicBoolean ended = new AtomicBoolean();

		Exchange() {
			ExchangeCountingConnector.this.maxOpen.accumulateAndGet(ExchangeCountingConnector.this.open.incrementAndGet(),
					Math::max);
		}

		void end() {
			if (this.ended.compareAndSet(false, true)) {
				ExchangeCountingConnector.this.open.decrementAndGet();
			}
		}

	}

}
