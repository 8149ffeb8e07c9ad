package dev.kluster.boot.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.kluster.boot.model.Batch;
import dev.kluster.boot.model.BatchCreateRequest;
import dev.kluster.boot.model.BatchList;
import dev.kluster.boot.model.BatchRequest;
import dev.kluster.boot.model.BatchResult;
import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionChunk;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.EmbeddingRequest;
import dev.kluster.boot.model.EmbeddingResponse;
import dev.kluster.boot.model.KlusterFile;
import dev.kluster.boot.model.ModelList;
import dev.kluster.boot.validation.ValidationPolicy;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * {@link RuntimeHintsRegistrar} of what the kluster.ai clients need at run time in a
 * native image: reflection on every type their {@code JsonMapper} reads or writes, and
 * the resources they load. Imported by {@link KlusterAutoConfiguration}.
 * <p>
 * The types are the roots of what goes over the wire, one for each body the clients write
 * or read; Spring's {@link BindingReflectionHintsRegistrar} registers them as Jackson binds
 * them (constructors, record components, accessors, annotated members) and follows them
 * to the types they hold, the serializers their Jackson annotations name, and so on. An
 * explicit list rather than a scan of the model package, because the package also holds
 * types Jackson never sees (builders, options, the queued answer): a test scans the
 * package and fails for a type that is neither reached from these roots nor known to be
 * left out.
 *
 * @since 0.1.0
 */
final class KlusterRuntimeHints implements RuntimeHintsRegistrar {

	/**
	 * The bodies the clients write ({@code writerFor}, {@code bodyValue}) and read
	 * ({@code readerFor}, {@code readValue}).
	 */
	static final List<Class<?>> BODIES = List.of(ChatCompletionRequest.class, ChatCompletion.class,
			ChatCompletionChunk.class, ModelList.class, EmbeddingRequest.class, EmbeddingResponse.class,
			BatchRequest.class, BatchCreateRequest.class, KlusterFile.class, Batch.class, BatchList.class,
			BatchResult.class);

	/**
	 * kluster.ai's unsupported parameters, loaded by {@link ValidationPolicy} next to
	 * itself.
	 */
	static final String UNSUPPORTED_PARAMETERS = ValidationPolicy.class.getPackageName().replace('.', '/')
			+ "/unsupported-parameters.properties";

	private final BindingReflectionHintsRegistrar bindingHints = new BindingReflectionHintsRegistrar();

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		this.bindingHints.registerReflectionHints(hints.reflection(), BODIES.toArray(Class<?>[]::new));
		hints.resources().registerPattern(UNSUPPORTED_PARAMETERS);
	}

}
