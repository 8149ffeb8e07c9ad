package dev.kluster.docs.gettingstarted;

// tag::connector[]
import io.netty.channel.ChannelOption;
import org.springframework.boot.http.client.autoconfigure.reactive.ClientHttpConnectorBuilderCustomizer;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class HttpClientConfig {

	// Boot builds its connector with this: it applies to the kluster.ai client and to every
	// other WebClient made from Boot's WebClient.Builder.
	@Bean
	ClientHttpConnectorBuilderCustomizer<ReactorClientHttpConnectorBuilder> httpClientTuning() {
		return builder -> builder.withHttpClientCustomizer(httpClient -> httpClient
			.option(ChannelOption.SO_KEEPALIVE, true)
			.headers(headers -> headers.set("X-Gateway-Route", "ai")));
	}
}
// end::connector[]
