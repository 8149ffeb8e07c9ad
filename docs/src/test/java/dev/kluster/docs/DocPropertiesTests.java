package dev.kluster.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code kluster.*} property named in a {@code ```yaml} or {@code ```properties}
 * block of the docs is one the starter has, by its configuration metadata, so that a
 * renamed property cannot leave a doc behind. Entries of map properties (such as
 * {@code kluster.validation.hints.*}) count as their map.
 */
class DocPropertiesTests {

	private static final Pattern FENCE = Pattern.compile("^\\s*```(\\S*)\\s*$");

	// | `kluster.response-timeout` | `Duration` | `5m` | Longest wait ... |
	private static final Pattern PROPERTY_ROW = Pattern.compile("^\\| `(kluster\\.[\\w.\\-\\[\\]*]+)` \\| [^|]+ \\| ([^|]+) \\|.*$");

	@Test
	void everyKlusterPropertyOfTheDocsIsInTheConfigurationMetadata() throws IOException {
		Map<String, String> known = metadata();
		assertThat(known).containsKey("kluster.api-key");
		List<String> unknown = new ArrayList<>();
		int checked = 0;
		for (Path file : DocSnippetsTests.markdownFiles()) {
			for (Map.Entry<Integer, Map<String, Object>> block : propertyBlocks(file).entrySet()) {
				for (String name : block.getValue().keySet()) {
					if (!name.startsWith("kluster.")) {
						continue;
					}
					checked++;
					if (!isKnown(name, known)) {
						unknown.add(file.getFileName() + ":" + block.getKey() + ": " + name);
					}
				}
			}
		}
		assertThat(checked).as("kluster.* properties found in the docs").isGreaterThan(20);
		assertThat(unknown).as("properties of the docs that the starter does not have").isEmpty();
	}

	@Test
	void theDefaultsOfConfigurationMdAreThoseOfTheConfigurationMetadata() throws IOException {
		Map<String, String> defaults = metadataDefaults();
		List<String> failures = new ArrayList<>();
		Path page = DocSnippetsTests.markdownFiles()
			.stream()
			.filter((path) -> path.getFileName().toString().equals("configuration.md"))
			.findFirst()
			.orElseThrow();
		int rows = 0;
		for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
			Matcher row = PROPERTY_ROW.matcher(line);
			if (!row.matches()) {
				continue;
			}
			rows++;
			String name = row.group(1);
			// `5m`, or a list as `a`, `b`, possibly followed by a remark in parentheses.
			String shown = row.group(2).replaceAll("\\(.*\\)", "").replace("`", "").replace(" ", "");
			String declared = defaults.get(name);
			String expected = (declared != null) ? declared.replace(" ", "") : "none";
			// A default the metadata cannot state (computed, or a map) is described in words.
			if (declared == null && !shown.equals("none")) {
				continue;
			}
			if (!shown.equals(expected)) {
				failures.add(name + ": configuration.md says " + shown + ", the metadata " + expected);
			}
		}
		assertThat(rows).as("property rows of configuration.md").isGreaterThan(20);
		assertThat(failures).isEmpty();
	}

	private static boolean isKnown(String name, Map<String, String> known) {
		if (known.containsKey(name)) {
			return true;
		}
		return known.entrySet()
			.stream()
			.anyMatch((property) -> property.getValue().startsWith("java.util.Map")
					&& (name.startsWith(property.getKey() + ".") || name.startsWith(property.getKey() + "[")));
	}

	// Default values as the metadata states them; lists joined with commas.
	private static Map<String, String> metadataDefaults() throws IOException {
		Map<String, String> defaults = new HashMap<>();
		for (URL url : Collections.list(DocPropertiesTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				for (JsonNode property : JsonMapper.shared().readTree(in).path("properties")) {
					JsonNode value = property.path("defaultValue");
					if (value.isArray()) {
						List<String> items = new ArrayList<>();
						value.forEach((item) -> items.add(item.asString()));
						defaults.put(property.path("name").asString(), String.join(",", items));
					}
					else if (!value.isMissingNode() && !value.isNull()) {
						defaults.put(property.path("name").asString(), value.asString());
					}
				}
			}
		}
		return defaults;
	}

	private static Map<String, String> metadata() throws IOException {
		Map<String, String> properties = new HashMap<>();
		for (URL url : Collections.list(DocPropertiesTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				JsonNode root = JsonMapper.shared().readTree(in);
				for (JsonNode property : root.path("properties")) {
					properties.put(property.path("name").asString(), property.path("type").asString(""));
				}
			}
		}
		return properties;
	}

	private static Map<Integer, Map<String, Object>> propertyBlocks(Path file) throws IOException {
		Map<Integer, Map<String, Object>> blocks = new LinkedHashMap<>();
		List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		String language = null;
		int start = 0;
		StringBuilder body = new StringBuilder();
		for (int i = 0; i < lines.size(); i++) {
			Matcher fence = FENCE.matcher(lines.get(i));
			if (language == null && fence.matches()) {
				language = fence.group(1);
				start = i + 1;
				body.setLength(0);
			}
			else if (language != null && fence.matches() && fence.group(1).isEmpty()) {
				if (language.equals("yaml")) {
					Map<String, Object> flat = new LinkedHashMap<>();
					flatten("", new Yaml().load(body.toString()), flat);
					blocks.put(start, flat);
				}
				else if (language.equals("properties")) {
					Properties properties = new Properties();
					properties.load(new StringReader(body.toString()));
					Map<String, Object> flat = new LinkedHashMap<>();
					properties.forEach((key, value) -> flat.put((String) key, value));
					blocks.put(start, flat);
				}
				language = null;
			}
			else if (language != null) {
				body.append(lines.get(i)).append('\n');
			}
		}
		return blocks;
	}

	@SuppressWarnings("unchecked")
	private static void flatten(String prefix, Object value, Map<String, Object> flat) {
		if (value instanceof Map<?, ?> map) {
			((Map<Object, Object>) map).forEach((key, child) -> flatten(
					prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, child, flat));
		}
		else {
			flat.put(prefix, value);
		}
	}

}
