package dev.kluster.boot.observation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

/**
 * The meters of an observation's tag sets, registered once per tag set: a registry finds
 * a meter only after sorting its tags and building its id, which is most of what
 * recording a call costs. Keeps up to a limit of tag sets; past it, meters are registered
 * (that is, looked up) on every use, so that tags of unbounded cardinality cannot grow
 * the cache without end.
 *
 * @param <M> the type of meter, or of a group of meters
 */
final class MeterCache<M> {

	private final int limit;

	private final Function<Key, M> register;

	private final Map<Key, M> meters = new ConcurrentHashMap<>();

	/**
	 * Create a cache.
	 * @param limit the most tag sets kept
	 * @param register registers the meter of a tag set
	 */
	MeterCache(int limit, Function<Key, M> register) {
		this.limit = limit;
		this.register = register;
	}

	/**
	 * The meter of a tag set, registered when first asked for.
	 * @param name the observation's name
	 * @param keyValues its low-cardinality key values
	 * @param qualifier what else the meter depends on, such as an error tag, or
	 * {@code null}
	 * @return the meter
	 */
	M get(String name, KeyValues keyValues, @Nullable String qualifier) {
		Key key = new Key(name, keyValues, qualifier);
		M meter = this.meters.get(key);
		if (meter != null) {
			return meter;
		}
		meter = this.register.apply(key);
		if (this.meters.size() < this.limit) {
			M known = this.meters.putIfAbsent(key, meter);
			return (known != null) ? known : meter;
		}
		return meter;
	}

	/**
	 * A tag set.
	 * @param name the observation's name
	 * @param keyValues its low-cardinality key values
	 * @param qualifier what else the meter depends on, or {@code null}
	 */
	record Key(String name, KeyValues keyValues, @Nullable String qualifier) {
	}

}
