package dev.kluster.docs.gettingstarted;

// tag::customizers[]
import dev.kluster.boot.transport.KlusterWebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import reactor.core.publisher.Mono;

@Configuration(proxyBeanMethods = false)
class KlusterClientConfig {

	@Bean
	@Order(1)
	KlusterWebClientCustomizer klusterTeamHeader() {
		return builder -> builder.defaultHeader("X-Team", "search");
	}

	@Bean
	@Order(2)
	KlusterWebClientCustomizer klusterRequestLogging() {
		return builder -> builder.filter(ExchangeFilterFunction.ofRequestProcessor(request -> {
			// Log the method and URL only: headers and bodies may carry private data.
			System.out.println(request.method() + " " + request.url());
			return Mono.just(request);
		}));
	}
}
// end::customizers[]
