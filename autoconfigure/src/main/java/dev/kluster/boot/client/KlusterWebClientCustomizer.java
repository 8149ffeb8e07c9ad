package dev.kluster.boot.client;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Callback interface that can be used to customize the {@link WebClient.Builder} of the
 * kluster.ai client only, after the base URL and the authorization header are set: add a
 * filter, a header or a connector of its own, without touching other WebClients of the
 * application.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface KlusterWebClientCustomizer {

	/**
	 * Customize the builder.
	 * @param webClientBuilder the builder of the kluster.ai client's {@code WebClient}
	 */
	void customize(WebClient.Builder webClientBuilder);

}
