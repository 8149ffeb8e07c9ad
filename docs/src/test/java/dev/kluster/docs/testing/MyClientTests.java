package dev.kluster.docs.testing;

// tag::testing-extension[]
import java.time.Clock;
import java.time.Duration;

import dev.kluster.boot.client.ChatDefaults;
import dev.kluster.boot.client.DefaultKlusterChatClient;
import dev.kluster.boot.transport.HttpErrorMapper;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterRetry;
import dev.kluster.boot.transport.KlusterTimeouts;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.test.KlusterStandInExtension;
import dev.kluster.boot.validation.KlusterRequestValidator;
import dev.kluster.boot.validation.ValidationPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

class MyClientTests {

	@RegisterExtension
	static KlusterStandInExtension standIn = new KlusterStandInExtension();

	@Test
	void streams(KlusterStandIn server) {          // injected as a parameter
		String baseUrl = server.baseUrl();           // http://127.0.0.1:<port>/v1
		JsonMapper json = JsonMapper.shared();
		KlusterConnection connection = new KlusterConnection(WebClient.builder().baseUrl(baseUrl).build(), json,
				new HttpErrorMapper(json, Clock.systemUTC()), baseUrl);
		KlusterChatClient client = new DefaultKlusterChatClient(connection,
				new KlusterRequestValidator(ValidationPolicy.defaults()),
				ChatDefaults.model("klusterai/Meta-Llama-3.1-8B-Instruct-Turbo"),
				KlusterTimeouts.of(Duration.ofSeconds(10)), KlusterRetry.none());

		server.answer("Hello there");

		StepVerifier.create(client.stream("Hi"))
			.expectNext("Hello", " there")
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

}
// end::testing-extension[]
