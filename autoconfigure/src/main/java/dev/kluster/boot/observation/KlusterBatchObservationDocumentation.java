package dev.kluster.boot.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

import static dev.kluster.boot.observation.KlusterObservationDocumentation.LowCardinalityKeyNames.ERROR_TYPE;
import static dev.kluster.boot.observation.KlusterObservationDocumentation.LowCardinalityKeyNames.PROVIDER_NAME;
import static dev.kluster.boot.observation.KlusterObservationDocumentation.LowCardinalityKeyNames.SERVER_ADDRESS;
import static dev.kluster.boot.observation.KlusterObservationDocumentation.LowCardinalityKeyNames.SERVER_PORT;

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
			// Those of chat calls but the model keys, which batch calls do not have.
			return KeyName.merge(LowCardinalityKeyNames.values(),
					new KeyName[] { PROVIDER_NAME, SERVER_ADDRESS, SERVER_PORT, ERROR_TYPE });
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
	 * Keys with few values, on both meters and spans, besides those shared with chat
	 * calls: {@code gen_ai.provider.name}, {@code server.address}, {@code server.port}
	 * and, when the call failed, {@code error.type}.
	 */
	public enum LowCardinalityKeyNames implements KeyName {

		/**
		 * Operation: {@code upload}, {@code file}, {@code create}, {@code submit},
		 * {@code retrieve}, {@code cancel}, {@code list}, {@code await_completion},
		 * {@code results}, {@code read_results} or {@code run}.
		 */
		OPERATION {
			@Override
			public String asString() {
				return "kluster.batch.operation";
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
