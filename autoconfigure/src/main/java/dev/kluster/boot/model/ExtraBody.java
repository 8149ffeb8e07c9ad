package dev.kluster.boot.model;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The extra body entries of requests: fields their type does not model, sent as they are.
 */
final class ExtraBody {

	private ExtraBody() {
	}

	/**
	 * The entries with one more, keeping their order.
	 * @param current the entries so far, or {@code null} for none
	 * @param name the JSON field name
	 * @param value the value
	 * @return a new map of the entries
	 */
	static Map<String, Object> with(@Nullable Map<String, Object> current, String name, Object value) {
		Map<String, Object> all = new LinkedHashMap<>();
		if (current != null) {
			all.putAll(current);
		}
		all.put(name, value);
		return all;
	}

}
