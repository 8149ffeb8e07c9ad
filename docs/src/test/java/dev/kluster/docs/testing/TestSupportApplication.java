package dev.kluster.docs.testing;

// tag::testing-test-run[]
import dev.kluster.boot.test.KlusterStandIn;
import org.springframework.boot.SpringApplication;

public class TestSupportApplication {

	public static void main(String[] args) {
		KlusterStandIn standIn = KlusterStandIn.start().answer("Refunds take 5 days.");
		SpringApplication.from(SupportApplication::main)
			.run("--kluster.base-url=" + standIn.baseUrl(), "--kluster.api-key=stand-in-key");
	}

}
// end::testing-test-run[]
