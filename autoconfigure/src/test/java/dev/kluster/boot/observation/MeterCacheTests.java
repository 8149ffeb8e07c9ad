package dev.kluster.boot.observation;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.common.KeyValues;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MeterCache}.
 */
class MeterCacheTests {

	private final List<MeterCache.Key> registered = new ArrayList<>();

	private MeterCache<Object> cache(int limit) {
		return new MeterCache<>(limit, (key) -> {
			this.registered.add(key);
			return new Object();
		});
	}

	@Test
	void meterOfATagSetIsRegisteredOnce() {
		MeterCache<Object> cache = cache(10);
		Object first = cache.get("calls", KeyValues.of("model", "a", "server", "x"), null);
		Object second = cache.get("calls", KeyValues.of("server", "x", "model", "a"), null);
		assertThat(second).isSameAs(first);
		assertThat(this.registered).hasSize(1);
	}

	@Test
	void nameTagsAndQualifierEachMakeAnotherTagSet() {
		MeterCache<Object> cache = cache(10);
		cache.get("calls", KeyValues.of("model", "a"), null);
		cache.get("other", KeyValues.of("model", "a"), null);
		cache.get("calls", KeyValues.of("model", "b"), null);
		cache.get("calls", KeyValues.of("model", "a"), "IOException");
		assertThat(this.registered).extracting(MeterCache.Key::name, MeterCache.Key::qualifier)
			.containsExactly(Tuple.tuple("calls", null),
					Tuple.tuple("other", null),
					Tuple.tuple("calls", null),
					Tuple.tuple("calls", "IOException"));
	}

	@Test
	void pastTheLimitMetersAreRegisteredOnEveryUse() {
		MeterCache<Object> cache = cache(2);
		cache.get("calls", KeyValues.of("model", "a"), null);
		cache.get("calls", KeyValues.of("model", "b"), null);
		cache.get("calls", KeyValues.of("model", "c"), null);
		cache.get("calls", KeyValues.of("model", "c"), null);
		cache.get("calls", KeyValues.of("model", "a"), null);
		assertThat(this.registered).extracting((key) -> key.keyValues().stream().findFirst().get().getValue())
			.containsExactly("a", "b", "c", "c");
	}

}
