package dev.kluster.boot.validation;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kluster.boot.model.EmbeddingRequest;
import dev.kluster.boot.model.EncodingFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link KlusterEmbeddingRequestValidator}.
 */
class KlusterEmbeddingRequestValidatorTests {

	private final KlusterEmbeddingRequestValidator validator = new KlusterEmbeddingRequestValidator(
			ValidationPolicy.defaults());

	private static EmbeddingRequest.Builder valid() {
		return EmbeddingRequest.builder().model("m").input("Hello");
	}

	@Test
	void validRequestIsReturnedAsIs() {
		EmbeddingRequest request = valid().encodingFormat(EncodingFormat.BASE64).user("u-1").build();
		assertThat(this.validator.validate(request)).isSameAs(request);
		EmbeddingRequest tokens = EmbeddingRequest.builder().model("m").tokens(List.of(List.of(1, 2), List.of(3))).build();
		assertThat(this.validator.validate(tokens)).isSameAs(tokens);
	}

	@Test
	void dimensionsAreRefusedByDefaultWithAHint() {
		assertThatExceptionOfType(KlusterValidationException.class)
			.isThrownBy(() -> this.validator.validate(valid().dimensions(256).build()))
			.satisfies((ex) -> assertThat(ex.violations()).singleElement().satisfies((violation) -> {
				assertThat(violation.path()).isEqualTo("dimensions");
				assertThat(violation.message()).isEqualTo("is not supported by kluster.ai");
				assertThat(violation.hint()).contains("kluster.validation.allowed-parameters");
			}));
	}

	@Test
	void allowedDimensionsAreCheckedForTheirValue() {
		KlusterEmbeddingRequestValidator allowing = new KlusterEmbeddingRequestValidator(
				ValidationPolicy.defaults().allowing("embeddings.dimensions"));
		EmbeddingRequest request = valid().dimensions(256).build();
		assertThat(allowing.validate(request)).isSameAs(request);
		assertThatExceptionOfType(KlusterValidationException.class)
			.isThrownBy(() -> allowing.validate(valid().dimensions(0).build()))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("dimensions must be at least 1, was 0"));
	}

	@Test
	void chatParametersOfTheSameNameAreNotEmbeddingParameters() {
		// "user" is refused for chat requests here, which must not touch embedding requests.
		KlusterEmbeddingRequestValidator validator = new KlusterEmbeddingRequestValidator(
				ValidationPolicy.defaults().refusing("user"));
		EmbeddingRequest request = valid().user("u-1").build();
		assertThat(validator.validate(request)).isSameAs(request);
	}

	@Test
	void aRequestWithoutAModelSaysWhichPropertyGivesIt() {
		EmbeddingRequest request = EmbeddingRequest.builder().input("a").build();
		assertThatExceptionOfType(KlusterValidationException.class).isThrownBy(() -> this.validator.validate(request))
			.withMessage("Request not sent: 1 parameter breaks kluster.ai's rules: model is required "
					+ "(set kluster.embedding.model, or the model of the request)");
	}

	@Test
	void everyBrokenRuleIsReportedAtOnce() {
		EmbeddingRequest request = EmbeddingRequest.builder().input("a", "").dimensions(3).build();
		assertThatExceptionOfType(KlusterValidationException.class).isThrownBy(() -> this.validator.validate(request))
			.satisfies((ex) -> assertThat(ex.paths()).containsExactly("dimensions", "model", "input[1]"));
	}

	@Test
	void inputIsRequiredAndNotEmpty() {
		assertThat(paths(EmbeddingRequest.builder().model("m").build())).containsExactly("input");
		assertThat(paths(EmbeddingRequest.builder().model("m").input("").build())).containsExactly("input");
		assertThat(paths(EmbeddingRequest.builder().model("m").input(List.of()).build())).containsExactly("input");
		assertThat(paths(EmbeddingRequest.builder().model("m").tokens(List.of(List.of())).build()))
			.containsExactly("input[0]");
	}

	@Test
	void inputOfMixedOrUnknownKindsIsRefused() {
		assertThat(paths(EmbeddingRequest.builder().model("m").rawInput(List.of("a", 1)).build()))
			.containsExactly("input[1]");
		assertThat(paths(EmbeddingRequest.builder().model("m").rawInput(42).build())).containsExactly("input");
	}

	@Test
	void moreInputsThanOneRequestTakesAreRefused() {
		EmbeddingRequest request = EmbeddingRequest.builder()
			.model("m")
			.input(Collections.nCopies(KlusterEmbeddingRequestValidator.MAX_INPUTS + 1, "x"))
			.build();
		assertThatExceptionOfType(KlusterValidationException.class).isThrownBy(() -> this.validator.validate(request))
			.withMessageContaining("input must have at most 2048 entries, had 2049");
	}

	@Test
	void unsupportedExtraBodyFieldIsRefusedAndATypedOneToo() {
		EmbeddingRequest request = valid().extraBody("dimensions", 8).extraBody("user", "u").build();
		assertThat(paths(request)).containsExactly("dimensions", "user");
	}

	@Test
	void dropModeRemovesUnsupportedParametersAndSendsTheRest() {
		KlusterEmbeddingRequestValidator dropping = new KlusterEmbeddingRequestValidator(
				ValidationPolicy.defaults().withMode(ValidationMode.DROP));
		EmbeddingRequest validated = dropping.validate(valid().dimensions(8).extraBody("dimensions", 8).build());
		assertThat(validated.dimensions()).isNull();
		assertThat(validated.extraBody()).isEmpty();
		assertThat(validated.input()).isEqualTo("Hello");
	}

	@Test
	void offModeSendsEverything() {
		KlusterEmbeddingRequestValidator off = new KlusterEmbeddingRequestValidator(
				ValidationPolicy.defaults().withMode(ValidationMode.OFF));
		EmbeddingRequest request = EmbeddingRequest.builder().dimensions(8).build();
		assertThat(off.validate(request)).isSameAs(request);
	}

	private List<String> paths(EmbeddingRequest request) {
		try {
			this.validator.validate(request);
		}
		catch (KlusterValidationException ex) {
			return ex.paths();
		}
		return List.of();
	}

}
