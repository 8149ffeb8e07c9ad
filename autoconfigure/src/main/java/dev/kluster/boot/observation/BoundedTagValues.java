package dev.kluster.boot.observation;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets through the first values it sees, up to a limit, and replaces every later new
 * value with {@value #OTHER}. Models are named by the caller's requests, so without a
 * bound a caller that passes user input as the model would create a time series per
 * input.
 */
final class BoundedTagValues {

	/** Fallback value of the OpenTelemetry conventions for values outside a known set. */
	static final String OTHER = "_OTHER";

	private final int limit;

	private final Set<String> admitted = ConcurrentHashMap.newKeySet();

	private volatile boolean full;

	BoundedTagValues(int limit) {
		if (limit < 0) {
			throw new IllegalArgumentException("limit must not be negative, was " + limit);
		}
		this.limit = limit;
	}

	String bound(String value) {
		if (this.admitted.contains(value)) {
			return value;
		}
		if (this.full) {
			return OTHER;
		}
		// Only a value not seen yet while there is room takes the lock.
		synchronized (this.admitted) {
			if (this.admitted.contains(value)) {
				return value;
			}
			if (this.admitted.size() < this.limit) {
				this.admitted.add(value);
				return value;
			}
			this.full = true;
		}
		return OTHER;
	}

}
