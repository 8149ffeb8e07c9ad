package dev.kluster.boot.validation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ValidationPolicy}.
 */
class ValidationPolicyTests {

	@Test
	void defaultsRejectWhatTheCompatibilityPageLists() {
		ValidationPolicy policy = ValidationPolicy.defaults();
		assertThat(policy.mode()).isEqualTo(ValidationMode.REJECT);
		assertThat(policy.unsupportedRequestParameters()).containsExactly("store", "max_tokens", "n", "modalities",
				"response_format", "service_tier", "stream_options", "tools", "tool_choice", "parallel_tool_calls",
				"function_call", "functions");
		assertThat(policy.unsupportedMessageParameters()).containsExactly("name", "refusal", "audio", "tool_calls",
				"function_call");
		assertThat(policy.hints()).isEqualTo(ValidationPolicy.DEFAULT_HINTS);
	}

	@Test
	void everyDefaultUnsupportedParameterHasAHint() {
		ValidationPolicy policy = ValidationPolicy.defaults();
		assertThat(policy.unsupportedRequestParameters()).allSatisfy((name) -> assertThat(policy.requestHint(name))
			.as(name)
			.isNotBlank());
		assertThat(policy.unsupportedMessageParameters()).allSatisfy((name) -> assertThat(policy.messageHint(name))
			.as(name)
			.isNotBlank());
	}

	@Test
	void defaultHintsGiveTheAdviceOfKlusterAi() {
		ValidationPolicy policy = ValidationPolicy.defaults();
		assertThat(policy.requestHint("max_tokens")).isEqualTo("use max_completion_tokens");
		assertThat(policy.requestHint("tool_choice")).contains("kluster.validation.allowed-parameters");
		assertThat(policy.messageHint("name")).isEqualTo("put the speaker's name in the message content");
		assertThat(policy.messageHint("audio")).isEqualTo("remove it from the message");
		assertThat(policy.messageHint("function_call")).isEqualTo(policy.requestHint("functions"));
	}

	@Test
	void messageHintPrefersTheMessageKeyAndFallsBackToThePlainName() {
		ValidationPolicy policy = new ValidationPolicy(ValidationMode.REJECT, Set.of(), Set.of("name", "foo"),
				Map.of("name", "plain", "messages[].name", "message", "foo", "plain foo"));
		assertThat(policy.messageHint("name")).isEqualTo("message");
		assertThat(policy.requestHint("name")).isEqualTo("plain");
		assertThat(policy.messageHint("foo")).isEqualTo("plain foo");
		assertThat(policy.messageHint("bar")).isNull();
	}

	@Test
	void collectionsAreCopiedKeepingTheirOrder() {
		Set<String> request = new LinkedHashSet<>(List.of("n", "store", "seed"));
		Set<String> message = new LinkedHashSet<>(List.of("refusal", "name"));
		Map<String, String> hints = new HashMap<>(Map.of("n", "one at a time"));
		ValidationPolicy policy = new ValidationPolicy(ValidationMode.DROP, request, message, hints);
		request.clear();
		message.clear();
		hints.clear();
		assertThat(policy.unsupportedRequestParameters()).containsExactly("n", "store", "seed");
		assertThat(policy.unsupportedMessageParameters()).containsExactly("refusal", "name");
		assertThat(policy.hints()).containsExactly(Map.entry("n", "one at a time"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> policy.unsupportedRequestParameters().add("tools"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> policy.hints().put("tools", "no"));
	}

	@Test
	void defaultConstantsCannotBeChanged() {
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> ValidationPolicy.DEFAULT_UNSUPPORTED_REQUEST_PARAMETERS.remove("n"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> ValidationPolicy.DEFAULT_UNSUPPORTED_MESSAGE_PARAMETERS.remove("name"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> ValidationPolicy.DEFAULT_HINTS.remove("n"));
	}

	@Test
	void nullNamesAreRefused() {
		List<String> withNull = new ArrayList<>();
		withNull.add(null);
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> new ValidationPolicy(
				ValidationMode.REJECT, new LinkedHashSet<>(withNull), Set.of(), Map.of()));
		assertThatExceptionOfType(NullPointerException.class)
			.isThrownBy(() -> new ValidationPolicy(null, Set.of(), Set.of(), Map.of()));
	}

	@Test
	void withModeKeepsTheLists() {
		ValidationPolicy policy = ValidationPolicy.defaults().refusing("seed").withMode(ValidationMode.OFF);
		assertThat(policy.mode()).isEqualTo(ValidationMode.OFF);
		assertThat(policy.unsupportedRequestParameters()).contains("seed", "n");
		assertThat(policy.hints()).isEqualTo(ValidationPolicy.DEFAULT_HINTS);
	}

	@Test
	void allowingRemovesRequestNamesAndPrefixedMessageNames() {
		ValidationPolicy policy = ValidationPolicy.defaults().allowing("tools", "function_call", "messages[].tool_calls");
		assertThat(policy.unsupportedRequestParameters()).doesNotContain("tools", "function_call")
			.contains("tool_choice");
		assertThat(policy.unsupportedMessageParameters()).containsExactly("name", "refusal", "audio", "function_call");
		assertThat(ValidationPolicy.defaults().unsupportedRequestParameters()).contains("tools");
	}

	@Test
	void refusingAddsRequestNamesAndPrefixedMessageNames() {
		ValidationPolicy policy = ValidationPolicy.defaults().refusing("seed", "messages[].tool_call_id");
		assertThat(policy.unsupportedRequestParameters()).endsWith("seed");
		assertThat(policy.unsupportedMessageParameters()).endsWith("tool_call_id");
	}

}
