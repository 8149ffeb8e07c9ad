package dev.kluster.boot.observation;

import org.junit.jupiter.api.Test;

import dev.kluster.boot.validation.ValidationPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ValidationParameterTags}.
 */
class ValidationParameterTagsTests {

	private final ValidationParameterTags tags = new ValidationParameterTags(ValidationPolicy.defaults());

	@Test
	void requestFieldsKeepTheirName() {
		assertThat(this.tags.tagFor("n")).isEqualTo("n");
		assertThat(this.tags.tagFor("max_tokens")).isEqualTo("max_tokens");
		assertThat(this.tags.tagFor("temperature")).isEqualTo("temperature");
		assertThat(this.tags.tagFor("model")).isEqualTo("model");
	}

	@Test
	void messageFieldsLoseTheirIndex() {
		assertThat(this.tags.tagFor("messages[3].name")).isEqualTo("messages[].name");
		assertThat(this.tags.tagFor("messages[0].content")).isEqualTo("messages[].content");
		assertThat(this.tags.tagFor("messages[12].role")).isEqualTo("messages[].role");
	}

	@Test
	void keyedPathsBecomeTheirField() {
		assertThat(this.tags.tagFor("logit_bias[\"50256\"]")).isEqualTo("logit_bias");
		assertThat(this.tags.tagFor("metadata[\"@kluster.ai\"].completion_window")).isEqualTo("metadata");
	}

	@Test
	void unknownNamesAreOther() {
		assertThat(this.tags.tagFor("frobnicate")).isEqualTo("other");
		assertThat(this.tags.tagFor("messages[1].sneaky")).isEqualTo("other");
		assertThat(this.tags.tagFor("")).isEqualTo("other");
	}

	@Test
	void namesOnTheConfiguredListsAreKnown() {
		ValidationParameterTags configured = new ValidationParameterTags(
				ValidationPolicy.defaults().refusing("frobnicate", "messages[].sneaky"));
		assertThat(configured.tagFor("frobnicate")).isEqualTo("frobnicate");
		assertThat(configured.tagFor("messages[4].sneaky")).isEqualTo("messages[].sneaky");
	}

	@Test
	void knownNamesAreBounded() {
		assertThat(this.tags.knownNames()).contains("model", "messages", "stream_options", "messages[].tool_call_id")
			.hasSizeLessThan(60);
	}

}
