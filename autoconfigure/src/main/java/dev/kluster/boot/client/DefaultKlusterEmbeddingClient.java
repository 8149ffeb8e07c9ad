package dev.kluster.boot.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

import dev.kluster.boot.error.KlusterException;
import dev.kluster.boot.model.EmbeddingRequest;
import dev.kluster.boot.model.EmbeddingResponse;
import dev.kluster.boot.observation.KlusterObservations;
import dev.kluster.boot.transport.JsonAnswers;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterRetry;
import dev.kluster.boot.transport.KlusterTimeouts;
import dev.kluster.boot.validation.EmbeddingRequestValidator;
import dev.kluster.boot.validation.KlusterEmbeddingRequestValidator;
import dev.kluster.boot.validation.KlusterValidationException;
import dev.kluster.boot.validation.ValidationPolicy;

/**
 * {@link KlusterEmbeddingClient} on the {@code WebClient} of a {@link KlusterConnection},
 * made with a {@link #builder(KlusterConnection) builder}. It calls kluster.ai as
 * {@link DefaultKlusterChatClient} does: the same connection (base URL, authorization,
 * concurrency limit, redirect policy), the same {@link KlusterTimeouts time limits} and
 * {@link KlusterRetry retries}, every failure a {@link KlusterException}, and each call
 * that passed validation observed with {@code gen_ai.operation.name=embeddings}, as the
 * connection's {@link KlusterObservations} describe.
 *
 * @since 0.1.0
 */
public final class DefaultKlusterEmbeddingClient implements KlusterEmbeddingClient {

	private static final String EMBEDDINGS = "/embeddings";

	private final KlusterConnection connection;

	// Resolved once, on first use, as the chat client's are.
	private final SingletonSupplier<ObjectWriter> requestWriter;

	private final SingletonSupplier<ObjectReader> responseReader;

	// Absolute, so that no URI template is expanded per call.
	private final URI embeddingsUri;

	private final int maxResponseSize;

	private final EmbeddingRequestValidator validator;

	private final EmbeddingDefaults defaults;

	private final KlusterCalls calls;

	private final KlusterObservations observations;

	private DefaultKlusterEmbeddingClient(Builder builder) {
		KlusterConnection connection = builder.connection;
		JsonMapper jsonMapper = connection.jsonMapper();
		this.connection = connection;
		this.requestWriter = SingletonSupplier.of(() -> jsonMapper.writerFor(EmbeddingRequest.class));
		this.responseReader = SingletonSupplier.of(() -> jsonMapper.readerFor(EmbeddingResponse.class));
		this.embeddingsUri = URI.create(connection.baseUrl() + EMBEDDINGS);
		this.maxResponseSize = connection.maxResponseSize();
		this.validator = builder.validator;
		this.defaults = builder.defaults;
		this.calls = new KlusterCalls(connection, builder.timeouts, builder.retry);
		this.observations = connection.observations();
	}

	/**
	 * A builder of a client on a {@link KlusterConnection}, with the defaults of the
	 * auto-configuration; its calls are observed as the connection's
	 * {@link KlusterObservations} describe.
	 * @param connection the way to kluster.ai
	 * @return the builder
	 */
	public static Builder builder(KlusterConnection connection) {
		return new Builder(connection);
	}

	/**
	 * Prepare what the first call would otherwise prepare, without sending anything to
	 * kluster.ai and without observing anything: run the validator on a sample request
	 * filled with the defaults, write it with the request writer, read a sample answer
	 * with the reader (a vector of floats and one in base64), and pass through the time
	 * limits and the retry. The connection is not warmed up here: the chat client's
	 * warm-up, or {@link KlusterConnection#warmUp()}, does that. Blocks until done, so call
	 * it from a thread that may block.
	 * @throws RuntimeException if something the first call needs cannot be made, as that
	 * call would then fail
	 */
	public void warmUp() {
		EmbeddingRequest sample = this.defaults.applyTo(WarmUpSamples.REQUEST);
		try {
			sample = this.validator.validate(sample);
		}
		catch (KlusterValidationException ex) {
			// Defaults that no request passes (no model, for one): every call reports them,
			// and the sample is still written.
		}
		KlusterCalls.write(this.requestWriter.obtain(), sample);
		read(WarmUpAnswers.answer(WarmUpSamples.ANSWER, MediaType.APPLICATION_JSON)).block();
		this.calls.withinTotal(this.calls.attempt(Mono.empty())).block();
	}

	@Override
	public Mono<EmbeddingResponse> embed(EmbeddingRequest request) {
		// Validated and written once, before the observation: a refused request is no call
		// of kluster.ai, and is not retried.
		return Mono.defer(() -> {
			EmbeddingRequest validated = validate(this.defaults.applyTo(request));
			byte[] body = KlusterCalls.write(this.requestWriter.obtain(), validated);
			return this.observations.observe(() -> this.observations.embeddingContext(validated), (context) -> {
				Mono<EmbeddingResponse> response = this.calls
					.withinTotal(this.calls.attempt(Mono.defer(() -> post(validated, body).exchangeToMono(
							(answer) -> KlusterCalls.isNotAnswer(answer.statusCode())
									? this.calls.<EmbeddingResponse>failure(answer) : read(answer)))));
				return (context != null) ? response.doOnNext(context::setEmbeddingResponse) : response;
			});
		});
	}

	// Paced on the model's budgets, as chat calls are.
	private WebClient.RequestHeadersSpec<?> post(EmbeddingRequest request, byte[] body) {
		return KlusterCalls.post(this.connection.webClient(), this.embeddingsUri, body, MediaType.APPLICATION_JSON,
				this.connection.rateLimit(), request.model(), null);
	}

	private Mono<EmbeddingResponse> read(ClientResponse response) {
		return JsonAnswers.read(response, this.responseReader.obtain(), this.maxResponseSize,
				this.calls.redaction(), "a list of embeddings");
	}

	// Runs inside defer(): a validation failure becomes the publisher's error and no
	// exchange is started.
	private EmbeddingRequest validate(EmbeddingRequest filled) {
		try {
			return this.validator.validate(filled);
		}
		catch (KlusterValidationException ex) {
			this.observations.rejected(ex);
			throw ex;
		}
	}

	/**
	 * Builder of a {@link DefaultKlusterEmbeddingClient}. Its defaults are those of the
	 * auto-configuration with no {@code kluster.*} property set.
	 */
	public static final class Builder {

		private final KlusterConnection connection;

		private EmbeddingRequestValidator validator = new KlusterEmbeddingRequestValidator(
				ValidationPolicy.defaults());

		private EmbeddingDefaults defaults = EmbeddingDefaults.NONE;

		private KlusterTimeouts timeouts = KlusterTimeouts.defaults();

		private KlusterRetry retry = KlusterRetry.defaults();

		private Builder(KlusterConnection connection) {
			Assert.notNull(connection, "connection must not be null");
			this.connection = connection;
		}

		/**
		 * The validation applied before anything is sent. Defaults to a
		 * {@link KlusterEmbeddingRequestValidator} with {@link ValidationPolicy#defaults()}.
		 * @param validator the validator
		 * @return this builder
		 */
		public Builder validator(EmbeddingRequestValidator validator) {
			Assert.notNull(validator, "validator must not be null");
			this.validator = validator;
			return this;
		}

		/**
		 * The values that fill what requests leave unset. Defaults to
		 * {@link EmbeddingDefaults#NONE}: requests name their model.
		 * @param defaults the defaults
		 * @return this builder
		 */
		public Builder defaults(EmbeddingDefaults defaults) {
			Assert.notNull(defaults, "defaults must not be null");
			this.defaults = defaults;
			return this;
		}

		/**
		 * The time limits of each call. Defaults to {@link KlusterTimeouts#defaults()}.
		 * @param timeouts the limits
		 * @return this builder
		 */
		public Builder timeouts(KlusterTimeouts timeouts) {
			Assert.notNull(timeouts, "timeouts must not be null");
			this.timeouts = timeouts;
			return this;
		}

		/**
		 * When and how failed calls are sent again. Defaults to
		 * {@link KlusterRetry#defaults()}; {@link KlusterRetry#none()} sends each call once.
		 * @param retry the retry
		 * @return this builder
		 */
		public Builder retry(KlusterRetry retry) {
			Assert.notNull(retry, "retry must not be null");
			this.retry = retry;
			return this;
		}

		/**
		 * Build the client.
		 * @return the client
		 */
		public DefaultKlusterEmbeddingClient build() {
			return new DefaultKlusterEmbeddingClient(this);
		}

	}

	/** What {@link #warmUp()} writes and reads: loaded with it, not with the client. */
	private static final class WarmUpSamples {

		static final EmbeddingRequest REQUEST = EmbeddingRequest.of("warm-up");

		// Two vectors of [0.5, -0.25]: as floats, and as the base64 of their little-endian
		// bytes.
		static final byte[] ANSWER = ("{\"object\":\"list\",\"data\":["
				+ "{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.5,-0.25]},"
				+ "{\"object\":\"embedding\",\"index\":1,\"embedding\":\"AAAAPwAAgL4=\"}],"
				+ "\"model\":\"warm-up\",\"usage\":{\"prompt_tokens\":2,\"total_tokens\":2}}")
			.getBytes(StandardCharsets.UTF_8);

	}

}
