package dev.kluster.boot.validation;

import java.util.ArrayList;
import java.util.List;

import dev.kluster.boot.error.KlusterException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link KlusterValidationException} and {@link Violation}.
 */
class KlusterValidationExceptionTests {

	@Test
	void messageListsEveryViolationWithItsHint() {
		KlusterValidationException ex = new KlusterValidationException(List.of(
				new Violation("n", "is not supported by kluster.ai", "send one request per completion"),
				new Violation("messages[0].name", "is not supported by kluster.ai",
						"put the speaker's name in the message content"),
				new Violation("temperature", "must be between 0 and 2, was 3.5", null)));
		assertThat(ex).isInstanceOf(KlusterException.class)
			.hasMessage("Request not sent: 3 parameters break kluster.ai's rules: n is not supported by kluster.ai "
					+ "(send one request per completion); messages[0].name is not supported by kluster.ai (put the "
					+ "speaker's name in the message content); temperature must be between 0 and 2, was 3.5");
		assertThat(ex.paths()).containsExactly("n", "messages[0].name", "temperature");
	}

	@Test
	void messageOfASingleViolationIsSingular() {
		KlusterValidationException ex = new KlusterValidationException(
				List.of(new Violation("model", "is required", null)));
		assertThat(ex).hasMessage("Request not sent: 1 parameter breaks kluster.ai's rules: model is required");
	}

	@Test
	void violationsAreCopiedAndUnmodifiable() {
		List<Violation> violations = new ArrayList<>(List.of(new Violation("n", "is not supported", null)));
		KlusterValidationException ex = new KlusterValidationException(violations);
		violations.clear();
		assertThat(ex.violations()).hasSize(1);
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> ex.violations().clear());
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> ex.paths().clear());
	}

	@Test
	void violationToStringShowsPathMessageAndHint() {
		assertThat(new Violation("n", "is not supported by kluster.ai", "send one request per completion"))
			.hasToString("n: is not supported by kluster.ai (send one request per completion)");
		assertThat(new Violation("logit_bias[\"50256\"]", "must be between -100 and 100, was 101", null))
			.hasToString("logit_bias[\"50256\"]: must be between -100 and 100, was 101");
	}

}
