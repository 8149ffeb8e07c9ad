package dev.kluster.docs.errors;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.test.AutoConfigureKlusterStandIn;
import dev.kluster.boot.test.KlusterStandIn;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs errors.md's fragments against the stand-in's faults, with the client's own
 * retries off so that each fragment's handling is what is seen.
 */
@SpringBootTest(classes = ErrorsSnippetsTests.Application.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = "kluster.retry.max-attempts=1")
@AutoConfigureKlusterStandIn
class ErrorsSnippetsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@Autowired
	KlusterStandIn standIn;

	@Autowired
	KlusterChatClient kluster;

	@Test
	void aRateLimitedCallIsSentAgainAfterRetryAfter() {
		this.standIn.answer("Later.");
		this.standIn.rateLimitNext(Duration.ofSeconds(1));
		assertThat(new ErrorsSnippets(this.kluster).waitForRetryAfter("Hi").block(TIMEOUT)).isEqualTo("Later.");
		assertThat(this.standIn.requestCount()).isEqualTo(2);
	}

	@Test
	void aServerErrorIsRetriedWithBackoff() {
		this.standIn.answer("Fine.");
		this.standIn.failNext(502, "<html>Bad Gateway</html>");
		assertThat(new ErrorsSnippets(this.kluster).retryTransient("Hi").block(TIMEOUT)).isEqualTo("Fine.");
		assertThat(this.standIn.requestCount()).isEqualTo(2);
	}

	@Test
	void anApiErrorFallsBackToAnswerText() {
		this.standIn.failNext(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}");
		assertThat(new ErrorsSnippets(this.kluster).fallbacks("Hi").block(TIMEOUT))
			.isEqualTo("The assistant is unavailable.");
	}

	@Test
	void aBlockingCallThrowsTheTypedExceptionItCatches() {
		this.standIn.rateLimitNext(Duration.ofSeconds(1));
		assertThat(new ErrorsSnippets(this.kluster).blocking("Hi")).isEqualTo("Hi");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
