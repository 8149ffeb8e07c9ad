package dev.kluster.boot.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.docs.MeterDocumentation;

/**
 * The counters {@link KlusterBatchMeterObservationHandler} records from batch client
 * observations, documented as code. The call timer itself,
 * {@code kluster.batch.client.operation.duration}, comes from Micrometer's
 * {@code DefaultMeterObservationHandler}, see {@link KlusterBatchObservationDocumentation}.
 * Tags are bounded: no batch, file or request ids.
 *
 * @since 0.1.0
 */
public enum KlusterBatchMeterDocumentation implements MeterDocumentation {

	/**
	 * Requests in batch input files that kluster.ai accepted, by {@code upload},
	 * {@code submit} or {@code run}. Requests of an upload that was refused or broken off
	 * are not counted.
	 */
	REQUESTS_UPLOADED {
		@Override
		public String getName() {
			return "kluster.batch.requests.uploaded";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.COUNTER;
		}

		@Override
		public KeyName[] getKeyNames() {
			return new KeyName[] { KlusterObservationDocumentation.LowCardinalityKeyNames.PROVIDER_NAME };
		}
	},

	/**
	 * Results read from result files, by {@code results}, {@code read_results} or
	 * {@code run}, whether the subscriber took them all or not.
	 */
	RESULTS_READ {
		@Override
		public String getName() {
			return "kluster.batch.results.read";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.COUNTER;
		}

		@Override
		public KeyName[] getKeyNames() {
			return KeyName.merge(
					new KeyName[] { KlusterObservationDocumentation.LowCardinalityKeyNames.PROVIDER_NAME },
					ResultKeyNames.values());
		}
	};

	/**
	 * Tags of {@link #RESULTS_READ} besides the provider.
	 */
	public enum ResultKeyNames implements KeyName {

		/**
		 * {@code success} for a request that got a 2xx answer with a body, {@code failure}
		 * otherwise, including every line of the error file.
		 */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		}

	}

}
