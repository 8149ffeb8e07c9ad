package dev.kluster.docs.testing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application of testing.md's examples, found by {@code @SpringBootTest} and started
 * on the stand-in by {@link TestSupportApplication}.
 */
@SpringBootApplication
public class SupportApplication {

	public static void main(String[] args) {
		SpringApplication.run(SupportApplication.class, args);
	}

}
