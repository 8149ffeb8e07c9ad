package dev.kluster.docs.readme;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.kluster.boot.test.AutoConfigureKlusterStandIn;
import dev.kluster.boot.test.KlusterStandIn;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs README.md's quick start against the stand-in.
 */
@SpringBootTest(classes = ReadmeSnippetsTests.Application.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
@AutoConfigureKlusterStandIn
class ReadmeSnippetsTests {

	@Autowired
	Assistant assistant;

	@Autowired
	KlusterStandIn standIn;

	@Test
	void assistantAsksAndStreams() {
		this.standIn.answer("Lisbon is the capital");
		assertThat(this.assistant.ask("Capital of Portugal?").block(Duration.ofSeconds(10)))
			.isEqualTo("Lisbon is the capital");
		assertThat(this.assistant.askLive("Capital of Portugal?").collectList().block(Duration.ofSeconds(10)))
			.containsExactly("Lisbon", " is", " the", " capital");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Assistant.class)
	static class Application {

	}

}
