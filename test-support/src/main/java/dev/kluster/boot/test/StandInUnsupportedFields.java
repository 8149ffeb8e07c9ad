package dev.kluster.boot.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;

/**
 * The request, message and embedding request fields the stand-in refuses, by their JSON
 * names. The defaults
 * are read from the list that the client's validation refuses by default, kluster.ai's
 * compatibility page: the build copies its {@code unsupported-parameters.properties}
 * here, so that the list is written once.
 *
 * @param request fields refused at request level
 * @param message fields refused in messages
 * @param embedding fields refused in embedding requests
 */
record StandInUnsupportedFields(Set<String> request, Set<String> message, Set<String> embedding) {

	/**
	 * Prefix of the names that mean a message field, as in
	 * {@code kluster.validation.allowed-parameters}.
	 */
	static final String MESSAGE_PREFIX = "messages[].";

	/**
	 * Prefix of the names that mean an embedding request field, as in
	 * {@code kluster.validation.allowed-parameters}.
	 */
	static final String EMBEDDING_PREFIX = "embeddings.";

	private static final String RESOURCE = "unsupported-parameters.properties";

	static final StandInUnsupportedFields DEFAULTS = load();

	StandInUnsupportedFields {
		request = Collections.unmodifiableSet(new LinkedHashSet<>(request));
		message = Collections.unmodifiableSet(new LinkedHashSet<>(message));
		embedding = Collections.unmodifiableSet(new LinkedHashSet<>(embedding));
	}

	/**
	 * These fields without the given ones: a name starting with {@code messages[].} means
	 * a message field, one starting with {@code embeddings.} an embedding request field,
	 * any other name a request field.
	 */
	StandInUnsupportedFields accepting(Collection<String> names) {
		Set<String> request = new LinkedHashSet<>(this.request);
		Set<String> message = new LinkedHashSet<>(this.message);
		Set<String> embedding = new LinkedHashSet<>(this.embedding);
		for (String name : names) {
			if (name.startsWith(MESSAGE_PREFIX)) {
				message.remove(name.substring(MESSAGE_PREFIX.length()));
			}
			else if (name.startsWith(EMBEDDING_PREFIX)) {
				embedding.remove(name.substring(EMBEDDING_PREFIX.length()));
			}
			else {
				request.remove(name);
			}
		}
		return new StandInUnsupportedFields(request, message, embedding);
	}

	private static StandInUnsupportedFields load() {
		Properties properties = new Properties();
		try (InputStream in = StandInUnsupportedFields.class.getResourceAsStream(RESOURCE)) {
			if (in == null) {
				throw new IllegalStateException(RESOURCE + " is missing beside " + StandInUnsupportedFields.class);
			}
			properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + RESOURCE, ex);
		}
		return new StandInUnsupportedFields(names(properties, "request-parameters"),
				names(properties, "message-parameters"), names(properties, "embedding-parameters"));
	}

	private static Set<String> names(Properties properties, String key) {
		String names = properties.getProperty(key);
		if (names == null) {
			throw new IllegalStateException(RESOURCE + " has no " + key);
		}
		return new LinkedHashSet<>(
				Arrays.stream(names.split(",")).map(String::strip).filter((name) -> !name.isEmpty()).toList());
	}

}
