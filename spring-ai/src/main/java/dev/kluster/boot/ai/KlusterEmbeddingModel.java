package dev.kluster.boot.ai;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.kluster.boot.client.KlusterEmbeddingClient;
import dev.kluster.boot.model.EmbeddingRequest;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.metadata.EmptyUsage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;
import org.springframework.util.Assert;

/**
 * kluster.ai as a Spring AI {@link EmbeddingModel}, on a {@link KlusterEmbeddingClient}:
 * the client's defaults ({@code kluster.embedding.*}), validation, retries, time limits
 * and observations apply to every call. A Spring AI request becomes one kluster.ai
 * request, its {@link EmbeddingOptions} ({@code model}, {@code dimensions}) taking
 * precedence over the model's default options; the answer has one {@link Embedding} per
 * input, in input order, and the token usage in its metadata.
 * <p>
 * The client is reactive; {@link #call} blocks only because Spring AI's {@code call}
 * returns the answer itself.
 * <p>
 * Each call is observed once, by the client, as an {@code embeddings {model}}
 * observation of the OpenTelemetry GenAI conventions. This model does not add Spring
 * AI's own embedding model observation around it, which would record the same call a
 * second time.
 *
 * @since 0.1.0
 */
public final class KlusterEmbeddingModel implements EmbeddingModel {

	private final KlusterEmbeddingClient client;

	private final EmbeddingOptions defaultOptions;

	private final MetadataMode metadataMode;

	private final AtomicInteger dimensions = new AtomicInteger(-1);

	private KlusterEmbeddingModel(Builder builder) {
		this.client = builder.client;
		this.defaultOptions = builder.defaultOptions;
		this.metadataMode = builder.metadataMode;
	}

	/**
	 * Start building a model on a client.
	 * @param client the kluster.ai embedding client, such as the auto-configured one
	 * @return a new builder
	 */
	public static Builder builder(KlusterEmbeddingClient client) {
		return new Builder(client);
	}

	/**
	 * Embed the texts of a request, and wait for the vectors.
	 * @param request the texts and, when set, the options of this call
	 * @return one embedding per text, in the order of the texts
	 * @throws dev.kluster.boot.validation.KlusterValidationException when the request
	 * breaks kluster.ai's rules; nothing is sent then
	 * @throws dev.kluster.boot.error.KlusterException on any other failure
	 */
	@Override
	public EmbeddingResponse call(org.springframework.ai.embedding.EmbeddingRequest request) {
		Assert.notNull(request, "request must not be null");
		dev.kluster.boot.model.EmbeddingResponse answer = this.client.embed(toRequest(request)).block();
		return toResponse(Objects.requireNonNull(answer, "kluster.ai answered with no embeddings"));
	}

	/**
	 * Embed a document's content, formatted with the model's metadata mode, with the
	 * default options.
	 * @param document the document
	 * @return its vector
	 */
	@Override
	public float[] embed(Document document) {
		return embed(getEmbeddingContent(document));
	}

	/**
	 * The text of a document to embed: its content with the metadata the model's
	 * {@link MetadataMode} selects ({@link MetadataMode#EMBED} unless set otherwise).
	 * @param document the document
	 * @return the text to embed
	 */
	@Override
	public String getEmbeddingContent(Document document) {
		Assert.notNull(document, "document must not be null");
		return document.getFormattedContent(this.metadataMode);
	}

	/**
	 * The size of this model's vectors: the default options' {@code dimensions} when they
	 * set it, otherwise the length of one vector, asked for on the first use and kept.
	 * @return the number of dimensions
	 */
	@Override
	public int dimensions() {
		Integer configured = this.defaultOptions.getDimensions();
		if (configured != null) {
			return configured;
		}
		// The model is fixed for this instance, so one call tells the size for good.
		if (this.dimensions.get() < 0) {
			this.dimensions.set(embed("Hello World").length);
		}
		return this.dimensions.get();
	}

	/**
	 * The options of requests that set none, under those a request sets.
	 * @return the default options
	 */
	public EmbeddingOptions getDefaultOptions() {
		return this.defaultOptions;
	}

	private EmbeddingRequest toRequest(org.springframework.ai.embedding.EmbeddingRequest request) {
		EmbeddingOptions options = request.getOptions();
		return EmbeddingRequest.builder()
			.model(firstNonNull((options != null) ? options.getModel() : null, this.defaultOptions.getModel()))
			.dimensions(firstNonNull((options != null) ? options.getDimensions() : null,
					this.defaultOptions.getDimensions()))
			.input(request.getInstructions())
			.build();
	}

	private static EmbeddingResponse toResponse(dev.kluster.boot.model.EmbeddingResponse answer) {
		List<Embedding> embeddings = answer.data()
			.stream()
			.map((embedding) -> new Embedding(embedding.embedding(), embedding.index()))
			.toList();
		EmbeddingResponseMetadata metadata = new EmbeddingResponseMetadata();
		if (answer.model() != null) {
			metadata.setModel(answer.model());
		}
		metadata.setUsage(usage(answer.usage()));
		return new EmbeddingResponse(embeddings, metadata);
	}

	private static Usage usage(dev.kluster.boot.model.EmbeddingResponse.@Nullable EmbeddingUsage usage) {
		if (usage == null) {
			return new EmptyUsage();
		}
		return new DefaultUsage(usage.promptTokens(), 0, usage.totalTokens(), usage);
	}

	private static <T> @Nullable T firstNonNull(@Nullable T first, @Nullable T second) {
		return (first != null) ? first : second;
	}

	@Override
	public String toString() {
		return "KlusterEmbeddingModel[model=" + this.defaultOptions.getModel() + ", dimensions="
				+ this.defaultOptions.getDimensions() + "]";
	}

	/**
	 * Builder of {@link KlusterEmbeddingModel}.
	 */
	public static final class Builder {

		private final KlusterEmbeddingClient client;

		private EmbeddingOptions defaultOptions = EmbeddingOptions.builder().build();

		private MetadataMode metadataMode = MetadataMode.EMBED;

		private Builder(KlusterEmbeddingClient client) {
			Assert.notNull(client, "client must not be null");
			this.client = client;
		}

		/**
		 * Set the options of requests that set none. Unset, the client's defaults
		 * ({@code kluster.embedding.*}) apply.
		 * @param defaultOptions the options
		 * @return this builder
		 */
		public Builder defaultOptions(EmbeddingOptions defaultOptions) {
			Assert.notNull(defaultOptions, "defaultOptions must not be null");
			this.defaultOptions = defaultOptions;
			return this;
		}

		/**
		 * Set which of a document's metadata is embedded with its text.
		 * @param metadataMode the metadata mode, {@link MetadataMode#EMBED} by default
		 * @return this builder
		 */
		public Builder metadataMode(MetadataMode metadataMode) {
			Assert.notNull(metadataMode, "metadataMode must not be null");
			this.metadataMode = metadataMode;
			return this;
		}

		/**
		 * Build the model.
		 * @return the model
		 */
		public KlusterEmbeddingModel build() {
			return new KlusterEmbeddingModel(this);
		}

	}

}
