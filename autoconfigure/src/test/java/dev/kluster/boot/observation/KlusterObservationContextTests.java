package dev.kluster.boot.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the low-cardinality key values of {@link KlusterObservationContext}, which it
 * keeps sorted rather than sorting them whenever it is asked.
 */
class KlusterObservationContextTests {

	private final KlusterChatObservationContext context = new KlusterChatObservationContext(
			KlusterChatObservationContext.CHAT, null, false);

	@Test
	void conventionKeyValuesAreReturnedAsGiven() {
		KeyValues keyValues = KeyValues.of("a", "1", "b", "2");
		this.context.addLowCardinalityKeyValues(keyValues);
		assertThat(this.context.getLowCardinalityKeyValues()).isSameAs(keyValues);
	}

	@Test
	void laterKeyValuesWithAllEarlierKeysReplaceThem() {
		this.context.addLowCardinalityKeyValues(KeyValues.of("a", "1", "b", "2"));
		this.context.addLowCardinalityKeyValues(KeyValues.of("a", "3", "b", "4", "c", "5"));
		assertThat(this.context.getLowCardinalityKeyValues()).isEqualTo(KeyValues.of("a", "3", "b", "4", "c", "5"));
	}

	@Test
	void earlierKeysMissingFromLaterKeyValuesAreKept() {
		this.context.addLowCardinalityKeyValues(KeyValues.of("a", "1", "b", "2", "d", "6"));
		this.context.addLowCardinalityKeyValues(KeyValues.of("b", "4", "c", "5"));
		assertThat(this.context.getLowCardinalityKeyValues())
			.isEqualTo(KeyValues.of("a", "1", "b", "4", "c", "5", "d", "6"));
	}

	@Test
	void keyValueAddedOnItsOwnIsSeen() {
		this.context.addLowCardinalityKeyValues(KeyValues.of("a", "1"));
		this.context.getLowCardinalityKeyValues();
		this.context.addLowCardinalityKeyValue(KeyValue.of("b", "2"));
		assertThat(this.context.getLowCardinalityKeyValues()).isEqualTo(KeyValues.of("a", "1", "b", "2"));
		this.context.addLowCardinalityKeyValues(KeyValues.of("a", "3"));
		assertThat(this.context.getLowCardinalityKeyValues()).isEqualTo(KeyValues.of("a", "3", "b", "2"));
	}

	@Test
	void removedKeyIsGone() {
		this.context.addLowCardinalityKeyValues(KeyValues.of("a", "1", "b", "2"));
		this.context.getLowCardinalityKeyValues();
		this.context.removeLowCardinalityKeyValues("a");
		assertThat(this.context.getLowCardinalityKeyValues()).isEqualTo(KeyValues.of("b", "2"));
	}

	@Test
	void keyValueOfAnObservationFilterIsSeenByHandlersAtStop() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationFilter((context) -> context.addLowCardinalityKeyValue(KeyValue.of("region", "eu")));
		KeyValues[] atStop = new KeyValues[1];
		registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

			@Override
			public void onStop(Observation.Context context) {
				atStop[0] = context.getLowCardinalityKeyValues();
			}

		});
		Observation.createNotStarted("call", () -> this.context, registry)
			.lowCardinalityKeyValue("a", "1")
			.start()
			.stop();
		assertThat(atStop[0]).isEqualTo(KeyValues.of("a", "1", "region", "eu"));
	}

}
