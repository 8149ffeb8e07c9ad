package dev.kluster.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A WebFlux application on the kluster.ai starter: a page at {@code /} that streams
 * answers and runs prompts as a batch, REST endpoints at {@code /chat},
 * {@code /chat/stream} and {@code /batch}, and actuator meters and health.
 * Without {@code KLUSTER_API_KEY} it answers from a local stand-in, with canned answers.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
