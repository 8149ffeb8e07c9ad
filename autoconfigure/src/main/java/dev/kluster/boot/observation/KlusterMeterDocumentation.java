package dev.kluster.boot.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.docs.MeterDocumentation;

/**
 * The meters {@link KlusterChatMeterObservationHandler} records from kluster.ai client
 * observations, documented as code. The operation timer itself,
 * {@code gen_ai.client.operation.duration}, and its {@code .active} long task timer come
 * from Micrometer's {@code DefaultMeterObservationHandler}, see
 * {@link KlusterObservationDocumentation}.
 *
 * @since 0.1.0
 */
public enum KlusterMeterDocumentation implements MeterDocumentation {

	/**
	 * Tokens per call as kluster.ai reported them, one sample per token type. No sample
	 * when kluster.ai reported no usage. A histogram whose unit is tokens: it has no base
	 * unit, so that Prometheus exposes it as {@code gen_ai_client_token_usage} like the
	 * OpenTelemetry exporter does, rather than with a {@code {token}} suffix.
	 */
	TOKEN_USAGE {
		@Override
		public String getName() {
			return "gen_ai.client.token.usage";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.DISTRIBUTION_SUMMARY;
		}

		@Override
		public KeyName[] getKeyNames() {
			return KeyName.merge(CommonKeyNames.values(), TokenKeyNames.values());
		}
	},

	/**
	 * Time from the start of a streamed call to its first chunk. Streams only.
	 */
	TIME_TO_FIRST_CHUNK {
		@Override
		public String getName() {
			return "gen_ai.client.operation.time_to_first_chunk";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.TIMER;
		}

		@Override
		public KeyName[] getKeyNames() {
			return CommonKeyNames.values();
		}
	},

	/**
	 * Time between two chunks of a stream. The mean over a stream's chunks is computed
	 * once when the stream ends and recorded once per chunk after the first, so that the
	 * sum and count are those of the conventions while nothing is done per chunk.
	 */
	TIME_PER_OUTPUT_CHUNK {
		@Override
		public String getName() {
			return "gen_ai.client.operation.time_per_output_chunk";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.TIMER;
		}

		@Override
		public KeyName[] getKeyNames() {
			return CommonKeyNames.values();
		}
	},

	/**
	 * Requests refused by validation before they were sent, counted once per refused
	 * parameter. Specific to this project: the OpenTelemetry conventions have no such
	 * meter.
	 */
	VALIDATION_REJECTIONS {
		@Override
		public String getName() {
			return "kluster.client.validation.rejections";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.COUNTER;
		}

		@Override
		public KeyName[] getKeyNames() {
			return ValidationKeyNames.values();
		}
	};

	/**
	 * Tags of the GenAI meters: the low-cardinality keys of the observation except
	 * {@code error.type}, which the conventions define for the operation duration only.
	 */
	public enum CommonKeyNames implements KeyName {

		/**
		 * {@code gen_ai.operation.name}.
		 */
		OPERATION_NAME {
			@Override
			public String asString() {
				return KlusterObservationDocumentation.LowCardinalityKeyNames.OPERATION_NAME.asString();
			}
		},

		/**
		 * {@code gen_ai.provider.name}.
		 */
		PROVIDER_NAME {
			@Override
			public String asString() {
				return KlusterObservationDocumentation.LowCardinalityKeyNames.PROVIDER_NAME.asString();
			}
		},

		/**
		 * {@code gen_ai.request.model}.
		 */
		REQUEST_MODEL {
			@Override
			public String asString() {
				return KlusterObservationDocumentation.LowCardinalityKeyNames.REQUEST_MODEL.asString();
			}
		},

		/**
		 * {@code gen_ai.response.model}.
		 */
		RESPONSE_MODEL {
			@Override
			public String asString() {
				return KlusterObservationDocumentation.LowCardinalityKeyNames.RESPONSE_MODEL.asString();
			}
		},

		/**
		 * {@code server.address}.
		 */
		SERVER_ADDRESS {
			@Override
			public String asString() {
				return KlusterObservationDocumentation.LowCardinalityKeyNames.SERVER_ADDRESS.asString();
			}
		},

		/**
		 * {@code server.port}.
		 */
		SERVER_PORT {
			@Override
			public String asString() {
				return KlusterObservationDocumentation.LowCardinalityKeyNames.SERVER_PORT.asString();
			}
		}

	}

	/**
	 * Tags of {@link #TOKEN_USAGE} besides the common ones.
	 */
	public enum TokenKeyNames implements KeyName {

		/**
		 * {@code input} for prompt tokens, {@code output} for completion tokens.
		 */
		TOKEN_TYPE {
			@Override
			public String asString() {
				return "gen_ai.token.type";
			}
		}

	}

	/**
	 * Tags of {@link #VALIDATION_REJECTIONS}.
	 */
	public enum ValidationKeyNames implements KeyName {

		/**
		 * The refused parameter: a request field ({@code max_tokens}), a message field
		 * ({@code messages[].name}), a name on the configured lists, or {@code other}.
		 */
		PARAMETER {
			@Override
			public String asString() {
				return "parameter";
			}
		}

	}

}
