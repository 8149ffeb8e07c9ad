package dev.kluster.boot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.batch.KlusterBatchSettings;
import dev.kluster.boot.client.ChatDefaults;
import dev.kluster.boot.client.EmbeddingDefaults;
import dev.kluster.boot.validation.ValidationPolicy;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterRetry;
import dev.kluster.boot.transport.KlusterTimeouts;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that a default is the same wherever it shows: in the configuration metadata an
 * IDE reads, in a {@link KlusterProperties} nothing was bound to, and in the builders of
 * the connection and the clients.
 */
class KlusterDefaultsTests {

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	private final ConversionService conversion = ApplicationConversionService.getSharedInstance();

	@Test
	void everyDefaultOfTheConfigurationMetadataIsTheBoundDefault() throws IOException {
		Map<String, JsonNode> properties = metadataProperties();
		assertThat(properties).containsKeys("kluster.base-url", "kluster.retry.max-attempts",
				"kluster.batch.max-file-size");
		BeanWrapper fresh = new BeanWrapperImpl(new KlusterProperties());
		List<String> drifted = new ArrayList<>();
		properties.forEach((name, property) -> {
			String path = beanPath(name);
			Object bound = fresh.getPropertyValue(path);
			JsonNode defaultValue = property.get("defaultValue");
			if (defaultValue == null) {
				if (isADefault(bound)) {
					drifted.add(name + ": the metadata has no default, the properties have " + bound);
				}
				return;
			}
			Object declared = this.conversion.convert(text(defaultValue), TypeDescriptor.valueOf(String.class),
					fresh.getPropertyTypeDescriptor(path));
			if (!Objects.equals(bound, declared)) {
				drifted.add(name + ": the metadata says " + defaultValue + ", the properties have " + bound);
			}
		});
		assertThat(drifted).as("defaults of the configuration metadata that are not those of KlusterProperties")
			.isEmpty();
	}

	@Test
	void propertiesLeftUnsetMakeWhatTheBuildersMakeByDefault() {
		KlusterProperties properties = new KlusterProperties();
		assertThat(properties.getBaseUrl()).isEqualTo(KlusterConnection.DEFAULT_BASE_URL);
		assertThat(KlusterPropertyChecks.maxResponseSize(properties))
			.isEqualTo(KlusterConnection.DEFAULT_MAX_RESPONSE_SIZE);
		assertThat(properties.getChat().toDefaults()).isEqualTo(ChatDefaults.defaults());
		assertThat(properties.getEmbedding().toDefaults()).isEqualTo(EmbeddingDefaults.NONE);
		assertThat(properties.getValidation().toPolicy()).isEqualTo(ValidationPolicy.defaults());
		assertThat(properties.toTimeouts()).isEqualTo(KlusterTimeouts.defaults());
		assertThat(properties.getRetry().toRetry()).usingRecursiveComparison().isEqualTo(KlusterRetry.defaults());
		assertThat(properties.getBatch().toSettings()).isEqualTo(KlusterBatchSettings.defaults());
	}

	// The metadata of this module's properties, read from the class path as an IDE reads
	// it from the jar; other modules' metadata has no kluster.* property.
	private static Map<String, JsonNode> metadataProperties() throws IOException {
		Map<String, JsonNode> properties = new TreeMap<>();
		for (URL url : Collections.list(KlusterDefaultsTests.class.getClassLoader().getResources(METADATA))) {
			try (InputStream in = url.openStream()) {
				for (JsonNode property : JsonMapper.shared().readTree(in).path("properties")) {
					String name = property.path("name").asString();
					if (name.startsWith("kluster.")) {
						properties.put(name, property);
					}
				}
			}
		}
		return properties;
	}

	// kluster.batch.max-poll-interval -> batch.maxPollInterval
	private static String beanPath(String name) {
		StringBuilder path = new StringBuilder();
		boolean upper = false;
		for (char c : name.substring("kluster.".length()).toCharArray()) {
			if (c == '-') {
				upper = true;
			}
			else {
				path.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return path.toString();
	}

	private static String text(JsonNode value) {
		if (!value.isArray()) {
			return value.asString();
		}
		List<String> elements = new ArrayList<>();
		value.forEach((element) -> elements.add(element.asString()));
		return String.join(",", elements);
	}

	// An empty collection or map is no default worth stating.
	private static boolean isADefault(Object bound) {
		if (bound instanceof Collection<?> collection) {
			return !collection.isEmpty();
		}
		if (bound instanceof Map<?, ?> map) {
			return !map.isEmpty();
		}
		return bound != null;
	}

}
