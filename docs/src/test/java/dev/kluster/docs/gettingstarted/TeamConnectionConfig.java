package dev.kluster.docs.gettingstarted;

// tag::own-connection[]
import dev.kluster.boot.observation.KlusterObservations;
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
		return KlusterConnection.builder()
			.apiKey(apiKey)                       // sent to baseUrl's origin only
			.baseUrl(baseUrl)
			.webClientBuilder(webClientBuilder)   // cloned; the WebClient is built on the first call
			.connector(connector)
			.jsonMapper(jsonMapper)
			.observations(observations)           // the auto-configured observation settings, for both clients
			.build();
	}
}
// end::own-connection[]
