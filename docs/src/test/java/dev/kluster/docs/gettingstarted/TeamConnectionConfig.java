package dev.kluster.docs.gettingstarted;

// tag::own-connection[]
import java.time.Clock;

import dev.kluster.boot.observation.KlusterObservations;
import dev.kluster.boot.transport.HttpErrorMapper;
import dev.kluster.boot.transport.KlusterAuthorizationConnector;
import dev.kluster.boot.transport.KlusterConnection;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class TeamConnectionConfig {

	@Bean
	KlusterConnection klusterConnection(WebClient.Builder webClientBuilder, ClientHttpConnector connector,
			JsonMapper jsonMapper, KlusterObservations observations, @Value("${team.kluster-key}") String apiKey,
			@Value("${kluster.base-url:https://api.kluster.ai/v1}") String baseUrl) {
		int maxResponseSize = KlusterConnection.DEFAULT_MAX_RESPONSE_SIZE;   // 10 MB, as kluster.max-response-size
		return new KlusterConnection(() -> webClientBuilder.clone()   // built on the first call
			.baseUrl(baseUrl)
			.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(maxResponseSize))
			// Sends the key to baseUrl's origin only, added below Spring's request logging.
			.clientConnector(new KlusterAuthorizationConnector(connector, apiKey, baseUrl))
			.build(),
			jsonMapper, new HttpErrorMapper(jsonMapper, Clock.systemUTC()), baseUrl, maxResponseSize,
			observations);   // the auto-configured observation settings, for both clients
	}
}
// end::own-connection[]
