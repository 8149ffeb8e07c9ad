package dev.kluster.docs.gettingstarted;

// tag::own-client[]
import java.time.Duration;

import dev.kluster.boot.client.ChatDefaults;
import dev.kluster.boot.client.DefaultKlusterChatClient;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterRetry;
import dev.kluster.boot.transport.KlusterTimeouts;
import dev.kluster.boot.validation.RequestValidator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OwnChatClientConfig {

	@Bean
	KlusterChatClient klusterChatClient(KlusterConnection connection, RequestValidator requestValidator) {
		return DefaultKlusterChatClient.builder(connection)
			.validator(requestValidator)
			.defaults(ChatDefaults.model("klusterai/Meta-Llama-3.3-70B-Instruct-Turbo"))
			// response, stream idle, total (null: none), connect (only named in errors)
			.timeouts(new KlusterTimeouts(Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofMinutes(10), null))
			// attempts, first backoff, longest backoff (also caps Retry-After), jitter
			.retry(KlusterRetry.of(3, Duration.ofMillis(500), Duration.ofSeconds(30), 0.5))
			.build();
	}
}
// end::own-client[]
