package dev.kluster.boot.benchmarks.perf;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * One WebClient from Boot's builder, for the start-up experiment's "webclient-only"
 * variant. A top-level class: nested in {@link StartupApp} it would be registered in
 * every variant.
 */
@Configuration(proxyBeanMethods = false)
class WebClientOnlyConfiguration {

	@Bean
	WebClient benchWebClient(WebClient.Builder builder) {
		return builder.baseUrl("http://127.0.0.1:9/v1").build();
	}

}
