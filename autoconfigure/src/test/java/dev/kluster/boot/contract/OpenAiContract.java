package dev.kluster.boot.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
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
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks JSON bodies against OpenAI's published OpenAPI description
 * ({@code shared/contracts/openai-openapi.yaml}, kept outside this repository).
 * <p>
 * The document is located by walking up from {@code user.dir} to the first directory
 * that contains {@value #CONTRACT_RELATIVE_PATH}, or taken from the directory named by
 * the {@value #CONTRACTS_DIR_PROPERTY} system property. If it cannot be found every
 * method fails with an {@link AssertionError} that lists where it looked: a contract
 * test must never pass silently because the contract is missing.
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

	/**
	 * System property naming the directory that contains {@value #CONTRACT_FILE_NAME};
	 * when set, no other location is tried.
	 */
	public static final String CONTRACTS_DIR_PROPERTY = "kluster.contracts.dir";

	static final String CONTRACT_FILE_NAME = "openai-openapi.yaml";

	static final String CONTRACT_RELATIVE_PATH = "shared/contracts/" + CONTRACT_FILE_NAME;

	static final String CHAT_COMPLETION_REQUEST = "CreateChatCompletionRequest";

	/** kluster.ai's documented extension, an object inside {@code metadata}. */
	static final String KLUSTER_METADATA_KEY = "@kluster.ai";

	private static final int MAX_BODY_CHARS_IN_MESSAGE = 4_000;

	private static final System.Logger logger = System.getLogger(OpenAiContract.class.getName());

	private static final JsonMapper jsonMapper = JsonMapper.builder().build();

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
	 * @return the contract file
	 */
	public static Path contractFile() {
		return Holder.CONTRACT.get().file;
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
		return "Body does not conform to OpenAI's #/components/schemas/" + schemaName + " (" + contractFile() + "), "
				+ errors.size() + " error(s):\n"
				+ errors.stream().map((error) -> "  - " + error).collect(Collectors.joining("\n")) + "\nBody"
				+ (bodyNote.isEmpty() ? "" : " " + bodyNote) + ": " + abbreviate(body.toString());
	}

	private static String abbreviate(String text) {
		return (text.length() <= MAX_BODY_CHARS_IN_MESSAGE) ? text
				: text.substring(0, MAX_BODY_CHARS_IN_MESSAGE) + "... (" + text.length() + " chars)";
	}

	/**
	 * Finds the contract: {@code <overrideDir>/openai-openapi.yaml} when an override is
	 * given, otherwise {@code <dir>/shared/contracts/openai-openapi.yaml} for
	 * {@code startDir} and each of its ancestors.
	 * @param startDir where to start walking up (normally {@code user.dir})
	 * @param overrideDir the value of {@value #CONTRACTS_DIR_PROPERTY}, or {@code null}
	 * @return the contract file
	 * @throws AssertionError naming every location tried when the file is not found
	 */
	static Path locateContract(Path startDir, String overrideDir) {
		List<Path> tried = new ArrayList<>();
		if (overrideDir != null && !overrideDir.isBlank()) {
			Path candidate = Path.of(overrideDir).toAbsolutePath().normalize().resolve(CONTRACT_FILE_NAME);
			if (Files.isRegularFile(candidate)) {
				return candidate;
			}
			throw new AssertionError("OpenAI contract not found: system property " + CONTRACTS_DIR_PROPERTY + "="
					+ overrideDir + " but " + candidate + " does not exist or is not a file");
		}
		for (Path dir = startDir.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
			Path candidate = dir.resolve(CONTRACT_RELATIVE_PATH);
			if (Files.isRegularFile(candidate)) {
				return candidate;
			}
			tried.add(candidate);
		}
		throw new AssertionError("OpenAI contract not found: looked for " + CONTRACT_RELATIVE_PATH + " in " + startDir
				+ " and each of its parent directories, i.e. at:\n"
				+ tried.stream().map((path) -> "  - " + path).collect(Collectors.joining("\n"))
				+ "\nCheck out the shared contracts beside the repository (../" + CONTRACT_RELATIVE_PATH
				+ " from its root) or set -D" + CONTRACTS_DIR_PROPERTY + "=<directory containing "
				+ CONTRACT_FILE_NAME + ">.");
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
				Path file = locateContract(Path.of(System.getProperty("user.dir")),
						System.getProperty(CONTRACTS_DIR_PROPERTY));
				return new Outcome(LoadedContract.load(file), null);
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

		/**
		 * Whitespace-only lines. The document contains four, all inside block scalars of
		 * descriptions and examples (annotations). One of them, the {@code example: |+}
		 * of {@code StopConfiguration}, is a block scalar whose only line is 12 spaces
		 * followed by a less indented key: valid YAML 1.2 (with no non-empty line the
		 * indentation is that of the longest line) that snakeyaml-engine rejects with
		 * "the leading empty lines contain more spaces (12) than the first non-empty line
		 * (10)". Emptying such lines only changes whitespace inside those annotation
		 * texts, never a value that takes part in validation.
		 */
		private static final Pattern WHITESPACE_ONLY_LINE = Pattern.compile("^[ \\t]+$", Pattern.MULTILINE);

		/** Above the 3 MiB snakeyaml-engine default, which the document (2.9 MB) nears. */
		private static final int YAML_CODE_POINT_LIMIT = 64 * 1024 * 1024;

		private final Path file;

		private final Schema document;

		private final Duration loadTime;

		private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

		private LoadedContract(Path file, Schema document, Duration loadTime) {
			this.file = file;
			this.document = document;
			this.loadTime = loadTime;
		}

		static LoadedContract load(Path file) throws IOException {
			long start = System.nanoTime();
			String yaml = WHITESPACE_ONLY_LINE.matcher(Files.readString(file, StandardCharsets.UTF_8)).replaceAll("");
			JsonNode root = parseYaml(yaml, file);
			if (!root.path("components").path("schemas").isObject()) {
				throw new AssertionError(file + " has no components.schemas; is it an OpenAPI document?");
			}
			// The whole document is the root schema resource (its base IRI is the file's
			// URI), so "$ref: #/components/schemas/..." resolves inside it.
			Schema document = schemaRegistry().getSchema(SchemaLocation.of(file.toUri().toString()), root);
			Duration loadTime = Duration.ofNanos(System.nanoTime() - start);
			logger.log(System.Logger.Level.INFO, () -> "Loaded OpenAI contract " + file + " ("
					+ root.path("components").path("schemas").size() + " schemas) in " + loadTime.toMillis() + " ms");
			return new LoadedContract(file, document, loadTime);
		}

		private static JsonNode parseYaml(String yaml, Path file) {
			try {
				// Marks (line/column tracking) roughly halve parsing speed; they are
				// only needed to report a syntax error, so parse again with them then.
				return yamlMapper(false).readTree(yaml);
			}
			catch (JacksonException ex) {
				try {
					yamlMapper(true).readTree(yaml);
				}
				catch (JacksonException detailed) {
					throw new AssertionError("Could not parse " + file + ": " + detailed.getMessage(), detailed);
				}
				throw new AssertionError("Could not parse " + file + ": " + ex.getMessage(), ex);
			}
		}

		private static ObjectMapper yamlMapper(boolean useMarks) {
			LoadSettings settings = LoadSettings.builder()
				.setCodePointLimit(YAML_CODE_POINT_LIMIT)
				.setUseMarks(useMarks)
				.build();
			return YAMLMapper.builder(YAMLFactory.builder().loadSettings(settings).build()).build();
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
							"No schema '" + key + "' under components.schemas of " + this.file);
				}
				NodePath pointer = new NodePath(PathType.JSON_POINTER).append("components")
					.append("schemas")
					.append(key);
				return this.document.getRefSchema(pointer);
			});
		}

	}

}
