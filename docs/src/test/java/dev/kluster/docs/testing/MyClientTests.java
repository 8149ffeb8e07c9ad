package dev.kluster.docs.testing;

// tag::testing-extension[]
import java.time.Duration;

import dev.kluster.boot.client.DefaultKlusterChatClient;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterRetry;
import dev.kluster.boot.transport.KlusterTimeouts;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.test.KlusterStandInExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

class MyClientTests {

	@RegisterExtension
	static KlusterStandInExtension standIn = new KlusterStandInExtension();

	@Test
	void streams(KlusterStandIn server) {          // injected as a parameter
		String baseUrl = server.baseUrl();           // http://127.0.0.1:<port>/v1
		KlusterConnection connection = KlusterConnection.builder()
			.apiKey("test-key")                     // the stand-in takes any key
			.baseUrl(baseUrl)
			.build();
		KlusterChatClient client = DefaultKlusterChatClient.builder(connection)
			.timeouts(KlusterTimeouts.of(Duration.ofSeconds(10)))
			.retry(KlusterRetry.none())
			.build();

		server.answer("Hello there");

		StepVerifier.create(client.stream("Hi"))
			.expectNext("Hello", " there")
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

}
// end::testing-extension[]
