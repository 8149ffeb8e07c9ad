package dev.kluster.boot.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observation of kluster.ai batch client calls, documented as code. The OpenTelemetry
 * GenAI conventions define no batch operations, so the operation and the batch keys are
 * this project's own; the provider and server keys are those of
 * {@link KlusterObservationDocumentation}, so that one filter selects every kluster.ai
 * call.
 *
 * @since 0.1.0
 * @see DefaultKlusterBatchObservationConvention
 */
public enum KlusterBatchObservationDocumentation implements ObservationDocumentation {

	/**
	 * One call of the batch client, from subscription to its end: an upload, a poll until
	 * the batch ends, a read of its results or a whole run. Metrics handlers record it as
	 * the {@code kluster.batch.client.operation.duration} timer; tracing bridges as a
	 * {@code CLIENT} span named {@code batch {kluster.batch.operation}}, with the HTTP
	 * exchanges of the call as its children.
	 */
	BATCH_OPERATION {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultKlusterBatchObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityKeyNames.values();
		}

		@Override
		public Observation.Event[] getEvents() {
			return KlusterObservationDocumentation.Events.values();
		}

	};

	/**
	 * Keys with few values, on both meters and spans.
	 */
	public enum LowCardinalityKeyNames implements KeyName {

		/**
		 * Operation: {@code upload}, {@code file}, {@code create}, {@code submit},
		 * {@code retrieve}, {@code cancel}, {@code list}, {@code await_completion},
		 * {@code results}, {@code read_results}, {@code run} or {@code submit_async}.
		 */
		OPERATION {
			@Override
			public String asString() {
				return "kluster.batch.operation";
			}
		},

		/**
		 * {@code gen_ai.provider.name}: always {@code kluster}.
		 */
		PROVIDER_NAME {
			@Override
			public String asString() {
				return KlusterObservationDocumentation.LowCardinalityKeyNames.PROVIDER_NAME.asString();
			}
		},

		/**
		 * {@code server.address}: host name of the kluster.ai API.
		 */
		SERVER_ADDRESS {
			@Override
			public String asString() {
				return KlusterObservationDocumentation.LowCardinalityKeyNames.SERVER_ADDRESS.asString();
			}
		},

		/**
		 * {@code server.port}: port of the kluster.ai API.
		 */
		SERVER_PORT {
			@Override
			public String asString() {
				return KlusterObservationDocumentation.LowCardinalityKeyNames.SERVER_PORT.asString();
			}
		},

		/**
		 * {@code error.type}: canonical class name of the exception the call failed with,
		 * for example {@code dev.kluster.boot.error.KlusterBatchNotCompletedException}.
		 * Absent when the call succeeded or was cancelled.
		 */
		ERROR_TYPE {
			@Override
			public String asString() {
				return KlusterObservationDocumentation.LowCardinalityKeyNames.ERROR_TYPE.asString();
			}

			@Override
			public boolean isRequired() {
				return false;
			}
		}

	}

	/**
	 * Keys with many values, on spans only.
	 */
	public enum HighCardinalityKeyNames implements KeyName {

		/**
		 * Id of the batch the call concerns, once known.
		 */
		BATCH_ID {
			@Override
			public String asString() {
				return "kluster.batch.id";
			}
		},

		/**
		 * Id of the file the call concerns: the uploaded file, a batch's input file or the
		 * result file read.
		 */
		FILE_ID {
			@Override
			public String asString() {
				return "kluster.file.id";
			}
		},

		/**
		 * Last status of the batch the call saw, for example {@code completed}.
		 */
		BATCH_STATUS {
			@Override
			public String asString() {
				return "kluster.batch.status";
			}
		}

	}

}
