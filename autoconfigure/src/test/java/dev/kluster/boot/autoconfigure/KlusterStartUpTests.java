package dev.kluster.boot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.validation.ValidationPolicy;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * How the starter shows itself to an application: its registration, the start-up
 * failure report and the IDE metadata of its properties.
 */
@ExtendWith(OutputCaptureExtension.class)
class KlusterStartUpTests {

	@Test
	void autoConfigurationIsRegisteredForImport() {
		List<String> candidates = new ArrayList<>();
		ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).forEach(candidates::add);
		assertThat(candidates).contains(KlusterAutoConfiguration.class.getName());
	}

	@Test
	void missingApiKeyIsReportedWithInstructionsAtStartUp(CapturedOutput output) {
		SpringApplication application = new SpringApplication(App.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--kluster.base-url=http://127.0.0.1:1/v1"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("The kluster.ai client needs an API key")
			.contains("KLUSTER_API_KEY")
			.contains("kluster.api-key");
	}

	@Test
	void wrongBaseUrlIsReportedAtStartUpWithoutTheKey(CapturedOutput output) {
		SpringApplication application = new SpringApplication(App.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(
				() -> application.run("--kluster.api-key=sk-start-up-secret", "--kluster.base-url=https://api.kluster.ai"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("kluster.base-url")
			.contains("/v1")
			.doesNotContain("sk-start-up-secret");
	}

	@Test
	void everyPropertyHasADescriptionInTheIdeMetadata() throws Exception {
		List<String> names = new ArrayList<>();
		for (JsonNode property : metadata().get("properties")) {
			String name = property.get("name").asString();
			names.add(name);
			assertThat(property.path("description").asString("")).as("description of " + name).isNotBlank();
		}
		assertThat(names).contains("kluster.enabled", "kluster.api-key", "kluster.base-url", "kluster.response-timeout",
				"kluster.chat.model", "kluster.chat.temperature", "kluster.chat.top-p",
				"kluster.chat.max-completion-tokens", "kluster.embedding.model", "kluster.embedding.encoding-format",
				"kluster.validation.mode", "kluster.validation.unsupported-embedding-parameters",
				"kluster.validation.unsupported-request-parameters", "kluster.validation.allowed-parameters",
				"kluster.batch.poll-interval", "kluster.batch.max-file-size", "kluster.observations.include-content",
				"kluster.health.enabled");
	}

	@Test
	void ideMetadataShowsTheUnsupportedParametersValidationRefusesByDefault() throws Exception {
		Map<String, String> defaults = new HashMap<>();
		for (JsonNode property : metadata().get("properties")) {
			defaults.put(property.get("name").asString(), property.path("defaultValue").asString(""));
		}
		assertThat(defaults.get("kluster.validation.unsupported-request-parameters"))
			.isEqualTo(String.join(", ", ValidationPolicy.DEFAULT_UNSUPPORTED_REQUEST_PARAMETERS));
		assertThat(defaults.get("kluster.validation.unsupported-message-parameters"))
			.isEqualTo(String.join(", ", ValidationPolicy.DEFAULT_UNSUPPORTED_MESSAGE_PARAMETERS));
		assertThat(defaults.get("kluster.validation.unsupported-embedding-parameters"))
			.isEqualTo(String.join(", ", ValidationPolicy.DEFAULT_UNSUPPORTED_EMBEDDING_PARAMETERS))
			.isNotEmpty();
	}

	private JsonNode metadata() throws IOException {
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated configuration metadata").isNotNull();
			return JsonMapper.shared().readTree(in);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}
