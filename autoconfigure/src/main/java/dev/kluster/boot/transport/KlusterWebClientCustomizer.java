package dev.kluster.boot.transport;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Callback interface that can be used to customize the {@link WebClient.Builder} of the
 * kluster.ai client only, after the base URL and the codecs are set: add a filter or a
 * header without touching other WebClients of the application.
 * <p>
 * The connector is set after the customizers, so that the {@code Authorization} header is
 * always added below {@code WebClient} and only for kluster.ai's origin (see
 * {@link KlusterAuthorizationConnector}): a connector set here is replaced. The kluster
 * client uses the application's {@code ClientHttpConnector} bean, or one built with
 * {@code kluster.connect-timeout} and the {@code spring.http.clients.*} settings. A
 * connection built by hand takes customizers with
 * {@link KlusterConnection.Builder#webClientCustomizer(KlusterWebClientCustomizer)}.
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
