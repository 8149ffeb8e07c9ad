package dev.kluster.boot.model;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.validation.KlusterRequestValidator;
import dev.kluster.boot.validation.KlusterValidationException;
import dev.kluster.boot.validation.ValidationPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link Role}: known roles are the constants, unknown ones are kept as sent.
 */
class RoleTests {

	private final JsonMapper jsonMapper = JsonMapper.shared();

	@Test
	void knownWireNamesAreTheConstants() {
		for (Role role : Role.known()) {
			assertThat(Role.of(role.wireName())).isSameAs(role);
			assertThat(role.isKnown()).isTrue();
		}
		assertThat(this.jsonMapper.readValue("\"assistant\"", Role.class)).isSameAs(Role.ASSISTANT);
		assertThat(this.jsonMapper.writeValueAsString(Role.USER)).isEqualTo("\"user\"");
	}

	@Test
	void unknownRoleIsReadAndWrittenAsSent() {
		AssistantMessage message = this.jsonMapper.readValue("{\"role\":\"critic\",\"content\":\"Too long\"}",
				AssistantMessage.class);
		assertThat(message.role()).isEqualTo(Role.of("critic")).hasToString("critic");
		assertThat(message.role().isKnown()).isFalse();
		assertThat(this.jsonMapper.writeValueAsString(message)).contains("\"role\":\"critic\"");
	}

	@Test
	void requestWithARoleKlusterDoesNotKnowIsRefusedByValidation() {
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.model("m")
			.message(ChatMessage.builder(Role.of("critic")).content("Hi").build())
			.build();
		assertThatExceptionOfType(KlusterValidationException.class)
			.isThrownBy(() -> new KlusterRequestValidator(ValidationPolicy.defaults()).validate(request))
			.satisfies((ex) -> assertThat(ex.violations()).singleElement()
				.satisfies((violation) -> assertThat(violation.message()).isEqualTo(
						"must be system, user or assistant, was critic")));
	}

}
