package dev.kluster.boot.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observation of kluster.ai client calls, documented as code. Key names are those of
 * the OpenTelemetry GenAI semantic conventions (v1.41 and later), so that dashboards and
 * trace views built for those conventions work unchanged.
 *
 * @since 0.1.0
 * @see DefaultKlusterChatObservationConvention
 */
public enum KlusterObservationDocumentation implements ObservationDocumentation {

	/**
	 * One call of the kluster.ai API: a chat completion, streamed or not, an embedding
	 * request, or the model list. Metrics handlers record it as the {@code gen_ai.client.operation.duration}
	 * timer; tracing bridges as a {@code CLIENT} span named
	 * {@code {gen_ai.operation.name} {gen_ai.request.model}}.
	 */
	CLIENT_OPERATION {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultKlusterChatObservationConvention.class;
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
			return Events.values();
		}

	};

	/**
	 * Keys with few values, on both meters and spans.
	 */
	public enum LowCardinalityKeyNames implements KeyName {

		/**
		 * Operation: {@code chat}, {@code embeddings} for {@code POST /embeddings}, or
		 * {@code list_models} for {@code GET /models}.
		 */
		OPERATION_NAME {
			@Override
			public String asString() {
				return "gen_ai.operation.name";
			}
		},

		/**
		 * Provider: always {@code kluster}.
		 */
		PROVIDER_NAME {
			@Override
			public String asString() {
				return "gen_ai.provider.name";
			}
		},

		/**
		 * Model the request names. Absent when the operation names none. Once more distinct
		 * models than the configured limit were seen, further models are tagged
		 * {@code _OTHER} (spans keep the exact name).
		 */
		REQUEST_MODEL {
			@Override
			public String asString() {
				return "gen_ai.request.model";
			}

			@Override
			public boolean isRequired() {
				return false;
			}
		},

		/**
		 * Model that answered. Absent when no answer arrived; bounded like
		 * {@link #REQUEST_MODEL}.
		 */
		RESPONSE_MODEL {
			@Override
			public String asString() {
				return "gen_ai.response.model";
			}

			@Override
			public boolean isRequired() {
				return false;
			}
		},

		/**
		 * Host name of the kluster.ai API.
		 */
		SERVER_ADDRESS {
			@Override
			public String asString() {
				return "server.address";
			}
		},

		/**
		 * Port of the kluster.ai API.
		 */
		SERVER_PORT {
			@Override
			public String asString() {
				return "server.port";
			}
		},

		/**
		 * Class of the error the call ended with: the canonical name of its exception, for
		 * example {@code dev.kluster.boot.error.KlusterRateLimitException}. Absent when the
		 * call succeeded or was cancelled.
		 */
		ERROR_TYPE {
			@Override
			public String asString() {
				return "error.type";
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
		 * {@code true} when the answer is streamed; absent otherwise.
		 */
		REQUEST_STREAM {
			@Override
			public String asString() {
				return "gen_ai.request.stream";
			}
		},

		/**
		 * Sampling temperature of the request.
		 */
		REQUEST_TEMPERATURE {
			@Override
			public String asString() {
				return "gen_ai.request.temperature";
			}
		},

		/**
		 * Nucleus sampling mass of the request.
		 */
		REQUEST_TOP_P {
			@Override
			public String asString() {
				return "gen_ai.request.top_p";
			}
		},

		/**
		 * Upper bound of generated tokens: the request's {@code max_completion_tokens}, or
		 * its {@code max_tokens}.
		 */
		REQUEST_MAX_TOKENS {
			@Override
			public String asString() {
				return "gen_ai.request.max_tokens";
			}
		},

		/**
		 * Frequency penalty of the request.
		 */
		REQUEST_FREQUENCY_PENALTY {
			@Override
			public String asString() {
				return "gen_ai.request.frequency_penalty";
			}
		},

		/**
		 * Presence penalty of the request.
		 */
		REQUEST_PRESENCE_PENALTY {
			@Override
			public String asString() {
				return "gen_ai.request.presence_penalty";
			}
		},

		/**
		 * Stop sequences of the request, as a JSON array.
		 */
		REQUEST_STOP_SEQUENCES {
			@Override
			public String asString() {
				return "gen_ai.request.stop_sequences";
			}
		},

		/**
		 * Seed of the request.
		 */
		REQUEST_SEED {
			@Override
			public String asString() {
				return "gen_ai.request.seed";
			}
		},

		/**
		 * Number of choices the request asks for, when it is not 1.
		 */
		REQUEST_CHOICE_COUNT {
			@Override
			public String asString() {
				return "gen_ai.request.choice.count";
			}
		},

		/**
		 * Output type the request asks for through {@code response_format}: {@code json}
		 * or {@code text}.
		 */
		OUTPUT_TYPE {
			@Override
			public String asString() {
				return "gen_ai.output.type";
			}
		},

		/**
		 * Id of the completion.
		 */
		RESPONSE_ID {
			@Override
			public String asString() {
				return "gen_ai.response.id";
			}
		},

		/**
		 * Why generation stopped, one reason per choice, as a JSON array.
		 */
		RESPONSE_FINISH_REASONS {
			@Override
			public String asString() {
				return "gen_ai.response.finish_reasons";
			}
		},

		/**
		 * Seconds from the start of a streamed call to its first chunk.
		 */
		RESPONSE_TIME_TO_FIRST_CHUNK {
			@Override
			public String asString() {
				return "gen_ai.response.time_to_first_chunk";
			}
		},

		/**
		 * Prompt tokens kluster.ai reported.
		 */
		USAGE_INPUT_TOKENS {
			@Override
			public String asString() {
				return "gen_ai.usage.input_tokens";
			}
		},

		/**
		 * Completion tokens kluster.ai reported.
		 */
		USAGE_OUTPUT_TOKENS {
			@Override
			public String asString() {
				return "gen_ai.usage.output_tokens";
			}
		},

		/**
		 * The request's messages, as the conventions' JSON. Only with
		 * {@code kluster.observations.include-content=true}.
		 */
		INPUT_MESSAGES {
			@Override
			public String asString() {
				return "gen_ai.input.messages";
			}
		},

		/**
		 * The answer's messages, one per choice, as the conventions' JSON. Only with
		 * {@code kluster.observations.include-content=true}.
		 */
		OUTPUT_MESSAGES {
			@Override
			public String asString() {
				return "gen_ai.output.messages";
			}
		},

		/**
		 * Exact request model on the span when the meter tag
		 * {@link LowCardinalityKeyNames#REQUEST_MODEL} was bounded to {@code _OTHER}. Same
		 * key: the span value replaces the bounded one.
		 */
		REQUEST_MODEL_UNBOUNDED {
			@Override
			public String asString() {
				return "gen_ai.request.model";
			}
		},

		/**
		 * Exact response model on the span when the meter tag
		 * {@link LowCardinalityKeyNames#RESPONSE_MODEL} was bounded to {@code _OTHER}.
		 */
		RESPONSE_MODEL_UNBOUNDED {
			@Override
			public String asString() {
				return "gen_ai.response.model";
			}
		},

		/**
		 * How many times the request was sent: 1, or more when it was retried after a rate
		 * limit, a server error or a connection failure.
		 */
		REQUEST_ATTEMPTS {
			@Override
			public String asString() {
				return "kluster.request.attempts";
			}
		},

		/**
		 * The encoding an embedding request asked for, as a JSON array:
		 * {@code ["float"]} or {@code ["base64"]}. Absent when the request names none.
		 */
		REQUEST_ENCODING_FORMATS {
			@Override
			public String asString() {
				return "gen_ai.request.encoding_formats";
			}
		},

		/**
		 * Number of dimensions of the vectors an embedding call received.
		 */
		EMBEDDINGS_DIMENSION_COUNT {
			@Override
			public String asString() {
				return "gen_ai.embeddings.dimension.count";
			}
		}

	}

	/**
	 * Events of the observation.
	 */
	public enum Events implements Observation.Event {

		/**
		 * The subscriber cancelled the call before it ended, for example a stream left
		 * after a few chunks. The observation stops without error; metrics handlers count
		 * it as {@code gen_ai.client.operation.duration.cancelled}.
		 */
		CANCELLED {
			@Override
			public String getName() {
				return "cancelled";
			}

			@Override
			public String getContextualName() {
				return "cancelled";
			}
		},

		/**
		 * An attempt failed for a reason that may pass and the request is sent again after
		 * a backoff; see {@link HighCardinalityKeyNames#REQUEST_ATTEMPTS}.
		 */
		RETRY {
			@Override
			public String getName() {
				return "retry";
			}

			@Override
			public String getContextualName() {
				return "retry";
			}
		},

		/**
		 * The call waited for a budget of {@code kluster.rate-limit.*} before it was sent;
		 * the event's contextual name says how long and for which budget.
		 */
		RATE_LIMIT_WAIT {
			@Override
			public String getName() {
				return "rate-limit-wait";
			}

			@Override
			public String getContextualName() {
				return "rate-limit-wait";
			}
		}

	}

}
