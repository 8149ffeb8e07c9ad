package dev.kluster.boot.test;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.kluster.boot.test.StandInClient.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KlusterStandInExtension} registered on a static field.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KlusterStandInExtensionTests {

	@RegisterExtension
	static KlusterStandInExtension extension = new KlusterStandInExtension();

	private static KlusterStandIn fromBeforeAll;

	@BeforeAll
	static void injectsTheStandInIntoLifecycleMethods(KlusterStandIn standIn) {
		fromBeforeAll = standIn;
	}

	@Test
	@Order(1)
	void injectsTheRunningStandInIntoTestMethods(KlusterStandIn standIn) {
		assertThat(standIn).isSameAs(extension.standIn()).isSameAs(fromBeforeAll);
		assertThat(extension.baseUrl()).isEqualTo(standIn.baseUrl());
		assertThat(new StandInClient(standIn.baseUrl()).get("/models").status()).isEqualTo(200);
	}

	@Test
	@Order(2)
	void keepsOneStandInForAllTestsOfTheClass(KlusterStandIn standIn) {
		assertThat(standIn).isSameAs(fromBeforeAll);
	}

	@Test
	@Order(3)
	void scriptsAnAnswerAndQueuesAFaultThatTheNextTestMustNotSee(KlusterStandIn standIn) {
		standIn.answer("scripted").failNext(500, "boom").failNext(500, "boom");
		StandInClient client = new StandInClient(standIn.baseUrl());
		assertThat(client.post("/chat/completions", chat(KlusterStandIn.DEFAULT_MODELS.get(0), "hi")).status())
			.isEqualTo(500);
		assertThat(standIn.requestCount()).isOne();
	}

	@Test
	@Order(4)
	void startsEachTestWithAResetStandIn(KlusterStandIn standIn) {
		assertThat(standIn.requestCount()).isZero();
		StandInClient.Reply reply = new StandInClient(standIn.baseUrl()).post("/chat/completions",
				chat(KlusterStandIn.DEFAULT_MODELS.get(0), "hi"));
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.json().path("choices").path(0).path("message").path("content").asString())
			.isEqualTo("You said: hi");
	}

}
