package dev.kluster.boot.observation;

import java.util.Arrays;

import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.docs.MeterDocumentation;

/**
 * The meters of kluster.ai chat calls besides the operation timer, documented as code:
 * those {@link KlusterChatMeterObservationHandler} records from observations besides the
 * timers, and the validation rejections. The operation timer itself,
 * {@code gen_ai.client.operation.duration}, and its {@code .active} long task timer are
 * those of the observation, see {@link KlusterObservationDocumentation}; the same handler
 * records them, with the names and tags Micrometer's
 * {@code DefaultMeterObservationHandler} gives them.
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
			return KeyName.merge(commonKeyNames(), TokenKeyNames.values());
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
			return commonKeyNames();
		}
	},

	/**
	 * Requests refused by validation before they were sent, counted once per refused
	 * parameter by {@link KlusterValidationRejections}. Such requests never reached
	 * kluster.ai and are not in {@code gen_ai.client.operation.duration}. Specific to this project: the OpenTelemetry conventions have no such
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
	 * @return the key names
	 */
	static KeyName[] commonKeyNames() {
		return Arrays.stream(KlusterObservationDocumentation.LowCardinalityKeyNames.values())
			.filter((keyName) -> keyName != KlusterObservationDocumentation.LowCardinalityKeyNames.ERROR_TYPE)
			.toArray(KeyName[]::new);
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
