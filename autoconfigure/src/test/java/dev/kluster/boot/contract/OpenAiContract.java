package dev.kluster.boot.contract;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.keyword.Keyword;
import com.networknt.schema.keyword.NonValidationKeyword;
import com.networknt.schema.path.NodePath;
import com.networknt.schema.path.PathType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks JSON bodies against OpenAI's published OpenAPI description, of which the test
 * classpath holds the schemas this project exchanges ({@value #CONTRACT_RESOURCE}; see
 * the {@code README.md} beside it for its origin, licence and how to regenerate it).
 * If it cannot be loaded every method fails with an {@link AssertionError} saying why:
 * a contract test must never pass silently because the contract is missing.
 * <p>
 * The document is read, parsed and compiled once per JVM (lazy holder); a schema is
 * then taken from the compiled document by its JSON pointer
 * ({@code #/components/schemas/<name>}), exactly as a {@code $ref} would resolve it,
 * so internal references are resolved inside the same document without reloading it.
 * <p>
 * Validation follows JSON Schema 2020-12 (the dialect of OpenAPI 3.1) with these
 * adjustments, all of which only avoid false errors on valid bodies:
 * <ul>
 * <li>{@code format} is an annotation only (the 2020-12 default), so OpenAPI / OpenAI
 * formats such as {@code unixtime}, {@code binary}, {@code int64} or {@code uri} are
 * never asserted.</li>
 * <li>{@code discriminator} is an annotation only, as OpenAPI defines it. The library's
 * OpenAPI 3.1 dialect enforces it and, since OpenAI's discriminators have no
 * {@code mapping}, maps {@code role: "user"} to a schema named {@code user}: even
 * {@code {"model":"m","messages":[{"role":"user","content":"hi"}]}} would fail.</li>
 * <li>{@code nullable: true} is honoured (the value may also be {@code null}). It is an
 * OpenAPI 3.0 keyword that OpenAI's 3.1 document still uses about a hundred times, for
 * instance on {@code max_tokens}, {@code stop} or {@code store}, which OpenAI accepts as
 * {@code null}; plain 3.1 would ignore it.</li>
 * <li>Any other keyword unknown to 2020-12 ({@code example}, {@code x-oaiMeta},
 * {@code x-stainless-const}, ...) is a silent annotation.</li>
 * </ul>
 */
public final class OpenAiContract {

	/** Where the contract is on the test classpath. */
	static final String CONTRACT_RESOURCE = "contracts/openai-openapi.yaml";

	static final String CHAT_COMPLETION_REQUEST = "CreateChatCompletionRequest";

	/** kluster.ai's documented extension, an object inside {@code metadata}. */
	static final String KLUSTER_METADATA_KEY = "@kluster.ai";

	private static final int MAX_BODY_CHARS_IN_MESSAGE = 4_000;

	private static final System.Logger logger = System.getLogger(OpenAiContract.class.getName());

	private static final JsonMapper jsonMapper = JsonMapper.builder().build();

	private static final YAMLMapper yamlMapper = YAMLMapper.builder().build();

	private OpenAiContract() {
	}

	/**
	 * Asserts that {@code json} is a valid {@code CreateChatCompletionRequest}, after
	 * removing kluster.ai's {@code metadata["@kluster.ai"]} extension.
	 * @param json the request body
	 * @throws AssertionError listing every schema error with its instance location
	 */
	public static void assertValidChatCompletionRequest(String json) {
		JsonNode body = parse(json);
		// kluster.ai documents an "@kluster.ai" object inside "metadata" (batch/async
		// options such as completion_window), while OpenAI's schema types metadata as
		// a map of string to string (#/components/schemas/Metadata). That one entry is
		// a deliberate, documented extension, so it is removed before validating;
		// every other metadata entry, and the rest of the body, is validated as is.
		if (body instanceof ObjectNode root && root.get("metadata") instanceof ObjectNode metadata) {
			metadata.remove(KLUSTER_METADATA_KEY);
		}
		List<String> errors = validate(CHAT_COMPLETION_REQUEST, body);
		if (!errors.isEmpty()) {
			throw new AssertionError(failureMessage(CHAT_COMPLETION_REQUEST, errors, body,
					"(after removing metadata[\"" + KLUSTER_METADATA_KEY + "\"])"));
		}
	}

	/**
	 * Asserts that {@code json} is valid against {@code #/components/schemas/<schemaName>},
	 * without any kluster.ai adjustment.
	 * @param schemaName the name of a schema under {@code components.schemas}
	 * @param json the JSON document
	 * @throws AssertionError listing every schema error with its instance location
	 */
	public static void assertValid(String schemaName, String json) {
		JsonNode body = parse(json);
		List<String> errors = validate(schemaName, body);
		if (!errors.isEmpty()) {
			throw new AssertionError(failureMessage(schemaName, errors, body, ""));
		}
	}

	/**
	 * Validates {@code json}, as is, against {@code #/components/schemas/<schemaName>}
	 * (for instance {@code CreateChatCompletionResponse},
	 * {@code CreateChatCompletionStreamResponse} or {@code ListModelsResponse}).
	 * @param schemaName the name of a schema under {@code components.schemas}
	 * @param json the JSON document
	 * @return one message per schema error, each starting with its instance location
	 * (a JSON pointer, {@code (root)} for the document itself); empty when valid
	 * @throws AssertionError if {@code json} is not JSON or the contract cannot be loaded
	 * @throws IllegalArgumentException if the document has no such schema
	 */
	public static List<String> validate(String schemaName, String json) {
		return validate(schemaName, parse(json));
	}

	/**
	 * Returns the location of the OpenAI OpenAPI document in use.
	 * @return the URL of the contract on the classpath
	 */
	public static URL contractLocation() {
		return Holder.CONTRACT.get().location;
	}

	/**
	 * Returns how long reading, parsing and compiling the document took.
	 * @return the load time
	 */
	static Duration loadTime() {
		return Holder.CONTRACT.get().loadTime;
	}

	private static List<String> validate(String schemaName, JsonNode instance) {
		Schema schema = Holder.CONTRACT.get().schema(schemaName);
		List<Error> errors = schema.validate(instance);
		return errors.stream().map(OpenAiContract::describe).toList();
	}

	private static String describe(Error error) {
		String location = error.getInstanceLocation().toString();
		return (location.isEmpty() ? "(root)" : location) + ": " + error.getMessage() + " [" + error.getKeyword()
				+ " at " + error.getEvaluationPath() + "]";
	}

	private static JsonNode parse(String json) {
		Objects.requireNonNull(json, "json must not be null");
		JsonNode node;
		try {
			node = jsonMapper.readTree(json);
		}
		catch (JacksonException ex) {
			throw new AssertionError("Body is not valid JSON: " + ex.getOriginalMessage() + "\n" + abbreviate(json), ex);
		}
		if (node == null || node.isMissingNode()) {
			throw new AssertionError("Body is empty");
		}
		return node;
	}

	private static String failureMessage(String schemaName, List<String> errors, JsonNode body, String bodyNote) {
		return "Body does not conform to OpenAI's #/components/schemas/" + schemaName + " (" + contractLocation() + "), "
				+ errors.size() + " error(s):\n"
				+ errors.stream().map((error) -> "  - " + error).collect(Collectors.joining("\n")) + "\nBody"
				+ (bodyNote.isEmpty() ? "" : " " + bodyNote) + ": " + abbreviate(body.toString());
	}

	private static String abbreviate(String text) {
		return (text.length() <= MAX_BODY_CHARS_IN_MESSAGE) ? text
				: text.substring(0, MAX_BODY_CHARS_IN_MESSAGE) + "... (" + text.length() + " chars)";
	}

	/**
	 * Lazy holder: the document is loaded on first use only, once per JVM. A failure is
	 * remembered and rethrown with the same message on every use (a failing static
	 * initializer would only report it once, then {@link NoClassDefFoundError}s).
	 */
	private static final class Holder {

		static final Outcome CONTRACT = Outcome.load();

	}

	private record Outcome(LoadedContract contract, AssertionError failure) {

		static Outcome load() {
			try {
				return new Outcome(LoadedContract.load(CONTRACT_RESOURCE), null);
			}
			catch (AssertionError ex) {
				return new Outcome(null, ex);
			}
			catch (IOException | RuntimeException ex) {
				return new Outcome(null, new AssertionError("Could not load the OpenAI contract: " + ex, ex));
			}
		}

		LoadedContract get() {
			if (this.failure != null) {
				throw new AssertionError(this.failure.getMessage(), this.failure.getCause());
			}
			return this.contract;
		}

	}

	private static final class LoadedContract {

		private final URL location;

		private final Schema document;

		private final Duration loadTime;

		private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

		private LoadedContract(URL location, Schema document, Duration loadTime) {
			this.location = location;
			this.document = document;
			this.loadTime = loadTime;
		}

		static LoadedContract load(String resource) throws IOException {
			long start = System.nanoTime();
			URL location = OpenAiContract.class.getClassLoader().getResource(resource);
			if (location == null) {
				throw new AssertionError("OpenAI contract not found: no " + resource
						+ " on the test classpath (autoconfigure/src/test/resources/" + resource + ")");
			}
			JsonNode root;
			try (InputStream in = location.openStream()) {
				root = yamlMapper.readTree(in);
			}
			catch (JacksonException ex) {
				throw new AssertionError("Could not parse " + location + ": " + ex.getMessage(), ex);
			}
			if (!root.path("components").path("schemas").isObject()) {
				throw new AssertionError(location + " has no components.schemas; is it an OpenAPI document?");
			}
			// The whole document is the root schema resource (its base IRI is the
			// resource's URL), so "$ref: #/components/schemas/..." resolves inside it.
			Schema document = schemaRegistry().getSchema(SchemaLocation.of(location.toString()), root);
			Duration loadTime = Duration.ofNanos(System.nanoTime() - start);
			logger.log(System.Logger.Level.INFO, () -> "Loaded OpenAI contract " + location + " ("
					+ root.path("components").path("schemas").size() + " schemas) in " + loadTime.toMillis() + " ms");
			return new LoadedContract(location, document, loadTime);
		}

		private static SchemaRegistry schemaRegistry() {
			Map<String, Keyword> annotations = new ConcurrentHashMap<>();
			Dialect dialect = Dialect.builder(Dialects.getDraft202012())
				// Registering "nullable" makes the library honour OpenAPI 3.0's
				// "nullable: true" (null is then also accepted) instead of ignoring it.
				.keyword(new NonValidationKeyword("nullable"))
				// Everything else unknown to 2020-12 is an annotation. This includes
				// "discriminator": registering it as a keyword would switch on the
				// library's discriminator checks (see the class description); left
				// unknown it stays the pure annotation OpenAPI says it is. The default
				// factory does the same but logs a warning per keyword.
				.unknownKeywordFactory((name, context) -> annotations.computeIfAbsent(name, AnnotationKeyword::new))
				.build();
			// format-annotation is 2020-12's default; stated so it cannot change silently.
			SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(false).build();
			return SchemaRegistry.withDefaultDialect(dialect, (builder) -> builder.schemaRegistryConfig(config));
		}

		Schema schema(String name) {
			Objects.requireNonNull(name, "schemaName must not be null");
			return this.schemas.computeIfAbsent(name, (key) -> {
				if (!this.document.getSchemaNode().path("components").path("schemas").has(key)) {
					throw new IllegalArgumentException(
							"No schema '" + key + "' under components.schemas of " + this.location);
				}
				NodePath pointer = new NodePath(PathType.JSON_POINTER).append("components")
					.append("schemas")
					.append(key);
				return this.document.getRefSchema(pointer);
			});
		}

	}

}
