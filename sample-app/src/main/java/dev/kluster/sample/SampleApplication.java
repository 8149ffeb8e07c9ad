package dev.kluster.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A WebFlux application on the kluster.ai starter: a page at {@code /} that streams
 * answers, REST endpoints at {@code /chat} and {@code /chat/stream}, and actuator meters.
 * Without {@code KLUSTER_API_KEY} it answers from a local stand-in, with canned answers.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
