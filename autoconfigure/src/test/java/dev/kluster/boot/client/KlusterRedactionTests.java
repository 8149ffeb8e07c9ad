package dev.kluster.boot.client;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import dev.kluster.boot.error.KlusterException;
import dev.kluster.boot.error.KlusterRedaction;
import dev.kluster.boot.transport.KlusterFailures;
import dev.kluster.boot.transport.KlusterTimeouts;

/**
 * Tests for {@link KlusterRedaction} and its use by {@link KlusterFailures}.
 */
class KlusterRedactionTests {

	private static final String KEY = "sk-redaction-test-0123456789";

	private final KlusterRedaction redaction = KlusterRedaction.of(KEY);

	@Test
	void configuredKeyAndBearerTokensAreMasked() {
		assertThat(this.redaction.redact("key " + KEY + " is revoked")).isEqualTo("key *** is revoked");
		assertThat(this.redaction.redact("Authorization: Bearer eyJhbGciOi.eyJzdWIi.c2ln== was sent"))
			.isEqualTo("Authorization: Bearer *** was sent");
		assertThat(this.redaction.redact("{\"message\":\"bearer abc/def+ghi\",\"type\":\"auth\"}"))
			.isEqualTo("{\"message\":\"bearer ***\",\"type\":\"auth\"}");
		assertThat(this.redaction.redact("nothing to hide")).isEqualTo("nothing to hide");
		assertThat(this.redaction.redact((String) null)).isNull();
	}

	@Test
	void bearerTokensAreMaskedWithoutAConfiguredKey() {
		assertThat(KlusterRedaction.of(null).redact("got Bearer " + KEY)).isEqualTo("got Bearer ***");
		assertThat(KlusterRedaction.of(" ")).isSameAs(KlusterRedaction.bearerTokens());
		assertThat(KlusterRedaction.bearerTokens().redact(KEY)).isEqualTo(KEY);
	}

	@Test
	void causeWithoutTheKeyIsKeptAsItIs() {
		IllegalStateException cause = new IllegalStateException("plain", new RuntimeException("inner"));
		assertThat(this.redaction.redact(cause)).isSameAs(cause);
	}

	@Test
	void causeQuotingTheKeyIsReplacedByARedactedStandInWithItsStackTrace() {
		RuntimeException inner = new RuntimeException("Unrecognized token '" + KEY + "'");
		IllegalStateException cause = new IllegalStateException("parse failed", inner);
		cause.addSuppressed(new RuntimeException("Bearer " + KEY));
		Throwable redacted = this.redaction.redact(cause);
		assertThat(redacted).isNotSameAs(cause).hasMessage("parse failed");
		assertThat(redacted.getStackTrace()).isEqualTo(cause.getStackTrace());
		assertThat(redacted.getCause()).hasMessage("Unrecognized token '***'");
		assertThat(redacted.getSuppressed()).singleElement().satisfies((ex) -> assertThat(ex).hasMessage("Bearer ***"));
		assertThat(redacted.toString()).startsWith("java.lang.IllegalStateException");
		assertThat(stackTrace(redacted)).contains("java.lang.RuntimeException").doesNotContain(KEY);
	}

	@Test
	void translatedFailureQuotesTheRootMessageRedactedAndKeepsNoKeyInItsCauses() {
		Throwable translated = KlusterFailures.translate(
				new IllegalStateException("wrapped", new IllegalArgumentException("token " + KEY)),
				KlusterTimeouts.RESPONSE_TIMEOUT_PROPERTY, Duration.ofSeconds(1), null, this.redaction);
		assertThat(translated).isInstanceOf(KlusterException.class).hasMessage("Call to kluster.ai failed: token ***");
		assertThat(stackTrace(translated)).doesNotContain(KEY);
	}

	@Test
	void errorIsPassedOnAsItIs() {
		OutOfMemoryError error = new OutOfMemoryError("Direct buffer memory");
		assertThat(KlusterFailures.translate(error, KlusterTimeouts.RESPONSE_TIMEOUT_PROPERTY, Duration.ofSeconds(1),
				null)).isSameAs(error);
		StackOverflowError overflow = new StackOverflowError();
		assertThat(KlusterFailures.translate(overflow, KlusterTimeouts.RESPONSE_TIMEOUT_PROPERTY,
				Duration.ofSeconds(1), null, this.redaction)).isSameAs(overflow);
	}

	private static String stackTrace(Throwable ex) {
		StringWriter trace = new StringWriter();
		ex.printStackTrace(new PrintWriter(trace));
		return trace.toString();
	}

}
