package dev.kluster.docs.testing;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application of testing.md's example, found by {@code @SpringBootTest}.
 */
@SpringBootApplication
class SupportApplication {

}
