package dev.kluster.boot.live;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kluster.boot.client.ChatDefaults;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.validation.KlusterRequestValidator;
import dev.kluster.boot.validation.KlusterValidationException;
import dev.kluster.boot.validation.ValidationPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The live probe ({@link UnsupportedParametersLiveIT}) can only run with a key, so what
 * it sends is checked here, in every build: one probe for each name on the default lists,
 * and each probe's request carries the parameter it is named after, which the starter's
 * default validation refuses.
 */
class UnsupportedParameterProbeTests {

	@Test
	void thereIsOneProbeForEachParameterOfTheDefaultLists() {
		List<String> listed = new ArrayList<>(ValidationPolicy.DEFAULT_UNSUPPORTED_REQUEST_PARAMETERS);
		ValidationPolicy.DEFAULT_UNSUPPORTED_MESSAGE_PARAMETERS
			.forEach((name) -> listed.add(ValidationPolicy.MESSAGE_PREFIX + name));
		assertThat(UnsupportedParameterProbe.all()).extracting(UnsupportedParameterProbe::parameter)
			.as("probes: add one to UnsupportedParameterProbe.all() for a name added to unsupported-parameters.properties")
			.containsExactlyElementsOf(listed);
	}

	@Test
	void eachProbeSendsTheParameterTheDefaultValidationRefuses() {
		KlusterRequestValidator validator = new KlusterRequestValidator(ValidationPolicy.defaults());
		for (UnsupportedParameterProbe probe : UnsupportedParameterProbe.all()) {
			ChatCompletionRequest request = ChatDefaults.defaults().applyTo(probe.request());
			KlusterValidationException refused = catchThrowableOfType(KlusterValidationException.class,
					() -> validator.validate(request));
			assertThat(refused).as(probe.parameter()).isNotNull();
			// messages[2].name is reported for messages[].name
			assertThat(refused.paths()).as(probe.parameter())
				.anySatisfy((path) -> assertThat(path.replaceAll("\\[\\d+]", "[]")).isEqualTo(probe.parameter()));
		}
	}

	@Test
	void eachProbeIsAcceptedWhenItsParameterIsAllowed() {
		for (UnsupportedParameterProbe probe : UnsupportedParameterProbe.all()) {
			// The tool probes send tools too, since their parameters mean nothing without.
			ValidationPolicy policy = ValidationPolicy.defaults().allowing(probe.parameter(), "tools", "functions");
			ChatCompletionRequest request = ChatDefaults.defaults().applyTo(probe.request());
			assertThat(new KlusterRequestValidator(policy).validate(request)).as(probe.parameter()).isEqualTo(request);
		}
	}

}
