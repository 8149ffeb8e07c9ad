package dev.kluster.boot.test;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stand-in's files and batches. File contents live on disk so that a batch of any
 * size costs the stand-in no heap: uploads are stored as they arrive, input files are
 * read line by line, and results are written to disk once, when the batch ends, then
 * streamed from there.
 * <p>
 * A batch's status is never stored: it follows from the {@link StandInClock}, the
 * timeline and the outcome the batch was created with, and the time a cancel arrived.
 */
final class StandInBatches implements AutoCloseable {

	/** kluster.ai's limit on the size of a file, read as 10^8 bytes. */
	static final long MAX_FILE_BYTES = 100_000_000L;

	static final String CHAT_COMPLETIONS = "/v1/chat/completions";

	static final String EMBEDDINGS = "/v1/embeddings";

	private static final Set<String> COMPLETION_WINDOWS = Set.of("24h", "48h", "72h");

	private static final int MAX_REPORTED_ERRORS = 10;

	private static final String JSON = "application/json";

	private static final String JSON_LINES = "application/jsonl";

	private final StandInJson json;

	private final StandInChat chat;

	private final StandInEmbeddings embeddings;

	private final StandInClock clock;

	private final Path directory;

	private final Map<String, StandInFile> files = new LinkedHashMap<>();

	private final Map<String, Batch> batches = new LinkedHashMap<>();

	private final AtomicLong fileNumbers = new AtomicLong();

	private final AtomicLong temporaryNumbers = new AtomicLong();

	private final AtomicLong batchNumbers = new AtomicLong();

	private final List<LineFailure> lineFailures = new CopyOnWriteArrayList<>();

	private volatile Timeline timeline = Timeline.INSTANT;

	private volatile Outcome outcome = Outcome.COMPLETE;

	private volatile Duration cancellingTime = Duration.ZERO;

	private volatile boolean outOfOrder;

	StandInBatches(StandInJson json, StandInChat chat, StandInClock clock) {
		this.json = json;
		this.chat = chat;
		this.embeddings = new StandInEmbeddings(json, chat);
		this.clock = clock;
		try {
			this.directory = Files.createTempDirectory("kluster-stand-in-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create the stand-in's file directory", ex);
		}
	}

	// Settings

	StandInClock clock() {
		return this.clock;
	}

	Path directory() {
		return this.directory;
	}

	void timeline(Duration validating, Duration inProgress, Duration finalizing) {
		this.timeline = new Timeline(notNegative(validating), notNegative(inProgress), notNegative(finalizing));
	}

	void cancellingTime(Duration cancelling) {
		this.cancellingTime = notNegative(cancelling);
	}

	void outcome(Outcome outcome) {
		this.outcome = outcome;
	}

	void outOfOrder() {
		this.outOfOrder = true;
	}

	void failLinesWhenPromptContains(String fragment, String code, String message) {
		this.lineFailures.add(new LineFailure(fragment, code, message));
	}

	private static Duration notNegative(Duration duration) {
		Objects.requireNonNull(duration, "duration");
		if (duration.isNegative()) {
			throw new IllegalArgumentException("duration must not be negative: " + duration);
		}
		return duration;
	}

	synchronized List<StandInFile> files() {
		return List.copyOf(this.files.values());
	}

	synchronized @Nullable StandInFile file(String id) {
		return this.files.get(id);
	}

	synchronized List<String> batchIds() {
		return List.copyOf(this.batches.keySet());
	}

	/**
	 * Forget files and batches, deleting their content, and restore the settings.
	 */
	void reset() {
		List<StandInFile> forgotten;
		synchronized (this) {
			forgotten = List.copyOf(this.files.values());
			this.files.clear();
			this.batches.clear();
		}
		forgotten.forEach((file) -> deleteQuietly(file.path()));
		this.lineFailures.clear();
		this.timeline = Timeline.INSTANT;
		this.outcome = Outcome.COMPLETE;
		this.cancellingTime = Duration.ZERO;
		this.outOfOrder = false;
	}

	@Override
	public void close() {
		reset();
		deleteTree(this.directory);
	}

	static void deleteTree(Path root) {
		if (!Files.exists(root)) {
			return;
		}
		try (Stream<Path> left = Files.walk(root)) {
			left.sorted(Comparator.reverseOrder()).forEach(StandInBatches::deleteQuietly);
		}
		catch (IOException ex) {
			// Only temporary files are left behind.
		}
	}

	static void deleteQuietly(Path path) {
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ex) {
			// Only a temporary file is left behind.
		}
	}

	// Files

	/**
	 * A path in the stand-in's directory for content that is still arriving.
	 */
	Path newTemporaryPath() {
		return this.directory.resolve("incoming-" + this.temporaryNumbers.incrementAndGet());
	}

	/**
	 * Keep an uploaded file, or refuse it.
	 * @param content where the upload was stored; moved or deleted by this call
	 */
	StandInAnswer upload(@Nullable Path content, @Nullable String filename, @Nullable String purpose) {
		if (content == null) {
			return refuse(400, "Missing required parameter: 'file'.", "file");
		}
		try {
			if (purpose == null) {
				deleteQuietly(content);
				return refuse(400, "Missing required parameter: 'purpose'.", "purpose");
			}
			if (!"batch".equals(purpose)) {
				deleteQuietly(content);
				return refuse(400, "The kluster.ai stand-in accepts files for purpose 'batch' only, not '" + purpose
						+ "'.", "purpose");
			}
			long bytes = Files.size(content);
			if (bytes > MAX_FILE_BYTES) {
				deleteQuietly(content);
				return refuse(400, "File is " + bytes + " bytes, over the limit of " + MAX_FILE_BYTES + " bytes.",
						"file");
			}
			StandInFile file = store(content, (filename != null) ? filename : "upload.jsonl", purpose);
			return ok(fileObject(file));
		}
		catch (IOException ex) {
			deleteQuietly(content);
			throw new UncheckedIOException(ex);
		}
	}

	private StandInFile store(Path content, String filename, String purpose) throws IOException {
		String id = "file-standin-" + this.fileNumbers.incrementAndGet();
		Path path = Files.move(content, this.directory.resolve(id));
		StandInFile file = new StandInFile(id, filename, purpose, Files.size(path), this.clock.instant(), path);
		synchronized (this) {
			this.files.put(id, file);
		}
		return file;
	}

	StandInAnswer retrieveFile(String id) {
		StandInFile file = file(id);
		return (file != null) ? ok(fileObject(file)) : fileNotFound(id);
	}

	StandInAnswer fileContent(String id) {
		StandInFile file = file(id);
		return (file != null) ? new StandInAnswer.Content(file.path(), JSON_LINES) : fileNotFound(id);
	}

	private ObjectNode fileObject(StandInFile file) {
		ObjectNode node = this.json.object();
		node.put("id", file.id());
		node.put("object", "file");
		node.put("bytes", file.bytes());
		this.json.timestamp(node, "created_at", file.createdAt());
		node.put("filename", file.filename());
		node.put("purpose", file.purpose());
		return node;
	}

	private StandInAnswer fileNotFound(String id) {
		return refuse(404, "No such File object: " + id, "id");
	}

	// Batches

	/**
	 * Create a batch. Reads the whole input file to check its lines, so it runs off the
	 * event loop.
	 */
	Mono<StandInAnswer> create(JsonNode request) {
		return Mono.fromCallable(() -> createNow(request)).subscribeOn(Schedulers.boundedElastic());
	}

	private StandInAnswer createNow(JsonNode request) {
		if (!request.isObject()) {
			return refuse(400, "The request body must be a JSON object.", null);
		}
		String inputFileId = request.path("input_file_id").asString(null);
		if (inputFileId == null) {
			return refuse(400, "Missing required parameter: 'input_file_id'.", "input_file_id");
		}
		String endpoint = request.path("endpoint").asString(null);
		if (!CHAT_COMPLETIONS.equals(endpoint) && !EMBEDDINGS.equals(endpoint)) {
			return refuse(400, "Invalid 'endpoint': the kluster.ai stand-in runs batches of " + CHAT_COMPLETIONS
					+ " and " + EMBEDDINGS + " only, not " + endpoint + ".", "endpoint");
		}
		String window = request.path("completion_window").asString(null);
		if (window == null || !COMPLETION_WINDOWS.contains(window)) {
			return refuse(400, "Invalid 'completion_window': " + window + ". Supported values are 24h, 48h and 72h.",
					"completion_window");
		}
		JsonNode metadata = request.get("metadata");
		if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
			return refuse(400, "Invalid 'metadata': expected an object.", "metadata");
		}
		StandInFile input = file(inputFileId);
		if (input == null) {
			return refuse(404, "No such File object: " + inputFileId, "input_file_id");
		}
		Scan scan = scan(input.path(), endpoint);
		long number = this.batchNumbers.incrementAndGet();
		Batch batch = new Batch("batch_standin_" + number, number, inputFileId, endpoint, window,
				(metadata != null && metadata.isObject()) ? metadata.deepCopy() : null, this.clock.instant(),
				this.timeline, this.outcome, scan.lines(), scan.errors());
		synchronized (this) {
			this.batches.put(batch.id, batch);
		}
		return ok(batch.render(batch.createdAt, View.CREATED));
	}

	Mono<StandInAnswer> retrieve(String id) {
		return Mono.fromCallable(() -> {
			Batch batch = batch(id);
			return (batch != null) ? ok(batch.render(this.clock.instant(), View.CURRENT)) : batchNotFound(id);
		}).subscribeOn(Schedulers.boundedElastic());
	}

	Mono<StandInAnswer> cancel(String id) {
		return Mono.fromCallable(() -> {
			Batch batch = batch(id);
			if (batch == null) {
				return batchNotFound(id);
			}
			Instant now = this.clock.instant();
			boolean cancelledBefore = batch.status(now).equals("cancelled");
			String status = batch.cancel(now, this.cancellingTime);
			if (status != null) {
				return refuse(400, "Cannot cancel a batch with status '" + status + "'.", null);
			}
			return ok(batch.render(now, cancelledBefore ? View.CURRENT : View.CANCELLING));
		}).subscribeOn(Schedulers.boundedElastic());
	}

	/**
	 * List batches, newest first, a page at a time.
	 */
	Mono<StandInAnswer> list(@Nullable String limitParameter, @Nullable String after) {
		return Mono.fromCallable(() -> {
			int limit;
			try {
				limit = (limitParameter != null) ? Integer.parseInt(limitParameter) : 20;
			}
			catch (NumberFormatException ex) {
				limit = 0;
			}
			if (limit < 1 || limit > 100) {
				return refuse(400, "Invalid 'limit': " + limitParameter + ". It must be between 1 and 100.", "limit");
			}
			List<Batch> all;
			synchronized (this) {
				all = new ArrayList<>(this.batches.values());
			}
			Collections.reverse(all);
			int start = 0;
			if (after != null) {
				start = indexOf(all, after) + 1;
				if (start == 0) {
					return refuse(400, "Invalid 'after': no batch " + after + ".", "after");
				}
			}
			List<Batch> page = all.subList(start, Math.min(start + limit, all.size()));
			Instant now = this.clock.instant();
			ObjectNode list = this.json.object();
			list.put("object", "list");
			ArrayNode data = list.putArray("data");
			page.forEach((batch) -> data.add(batch.render(now, View.CURRENT)));
			list.put("first_id", page.isEmpty() ? null : page.get(0).id);
			list.put("last_id", page.isEmpty() ? null : page.get(page.size() - 1).id);
			list.put("has_more", start + page.size() < all.size());
			// kluster.ai adds these to OpenAI's list: clients must tolerate them.
			list.put("count", page.size());
			list.put("page", start / limit + 1);
			return ok(list);
		}).subscribeOn(Schedulers.boundedElastic());
	}

	private static int indexOf(List<Batch> batches, String id) {
		for (int i = 0; i < batches.size(); i++) {
			if (batches.get(i).id.equals(id)) {
				return i;
			}
		}
		return -1;
	}

	private synchronized @Nullable Batch batch(String id) {
		return this.batches.get(id);
	}

	private StandInAnswer batchNotFound(String id) {
		return refuse(404, "No batch found with id '" + id + "'.", "batch_id");
	}

	private StandInAnswer ok(JsonNode body) {
		return new StandInAnswer.Body(200, this.json.write(body), JSON);
	}

	private StandInAnswer refuse(int status, String message, @Nullable String param) {
		return new StandInAnswer.Body(status,
				this.json.write(this.json.error(message, "invalid_request_error", param, null)), JSON);
	}

	/**
	 * Read an input file line by line, counting its requests and finding what kluster.ai
	 * would refuse in the validating phase.
	 */
	private Scan scan(Path input, String endpoint) {
		long lines = 0;
		List<ObjectNode> errors = new ArrayList<>();
		try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
			String line;
			long number = 0;
			while ((line = reader.readLine()) != null) {
				number++;
				if (line.isBlank()) {
					continue;
				}
				lines++;
				String problem = problem(line, endpoint);
				if (problem != null && errors.size() < MAX_REPORTED_ERRORS) {
					ObjectNode error = this.json.object();
					error.put("code", "invalid_request");
					error.put("message", problem);
					error.putNull("param");
					error.put("line", number);
					errors.add(error);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (lines == 0) {
			ObjectNode error = this.json.object();
			error.put("code", "empty_file");
			error.put("message", "The input file has no requests.");
			error.putNull("param");
			error.putNull("line");
			errors.add(error);
		}
		return new Scan(lines, errors);
	}

	private @Nullable String problem(String line, String endpoint) {
		JsonNode root;
		try {
			root = this.json.mapper().readTree(line);
		}
		catch (JacksonException ex) {
			return "The line is not valid JSON.";
		}
		if (!root.isObject()) {
			return "The line is not a JSON object.";
		}
		if (root.path("custom_id").asString("").isEmpty()) {
			return "The line has no 'custom_id'.";
		}
		if (!"POST".equals(root.path("method").asString(null))) {
			return "The line's 'method' must be POST.";
		}
		if (!endpoint.equals(root.path("url").asString(null))) {
			return "The line's 'url' must be the batch's endpoint, " + endpoint + ".";
		}
		if (!root.path("body").isObject()) {
			return "The line's 'body' must be a JSON object.";
		}
		return null;
	}

	// Results

	/**
	 * Answer the lines of a batch that ended and store the answers as its output and
	 * error files.
	 */
	private Results writeResults(Batch batch, long done, @Nullable String unfinishedCode) {
		StandInFile input = Objects.requireNonNull(file(batch.inputFileId), "input file");
		Path output = newTemporaryPath();
		Path errors = newTemporaryPath();
		long succeeded = 0;
		long failed = 0;
		try (BufferedWriter outputWriter = Files.newBufferedWriter(output, StandardCharsets.UTF_8);
				BufferedWriter errorWriter = Files.newBufferedWriter(errors, StandardCharsets.UTF_8)) {
			// Out of order: the odd lines first, then the even ones, so results of
			// neighbouring requests are never next to each other.
			int[] passes = this.outOfOrder ? new int[] { 1, 0 } : new int[] { -1 };
			Instant created = this.clock.instant();
			for (int parity : passes) {
				try (BufferedReader reader = Files.newBufferedReader(input.path(), StandardCharsets.UTF_8)) {
					String line;
					long index = -1;
					while ((line = reader.readLine()) != null) {
						if (line.isBlank()) {
							continue;
						}
						index++;
						if (parity >= 0 && index % 2 != parity) {
							continue;
						}
						ObjectNode result;
						if (index < done) {
							result = answer(batch, index, line, created);
						}
						else if (unfinishedCode != null) {
							result = unfinished(batch, index, line, unfinishedCode);
						}
						else {
							continue;
						}
						boolean success = !result.path("response").isNull()
								&& result.path("response").path("status_code").asInt() == 200;
						BufferedWriter writer = success ? outputWriter : errorWriter;
						writer.write(this.json.write(result));
						writer.write('\n');
						if (success) {
							succeeded++;
						}
						else {
							failed++;
						}
					}
				}
			}
		}
		catch (IOException ex) {
			deleteQuietly(output);
			deleteQuietly(errors);
			throw new UncheckedIOException(ex);
		}
		try {
			String outputFileId = keepIfNotEmpty(output, batch.id + "_output.jsonl");
			String errorFileId = keepIfNotEmpty(errors, batch.id + "_errors.jsonl");
			return new Results(outputFileId, errorFileId, succeeded, failed);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private @Nullable String keepIfNotEmpty(Path content, String filename) throws IOException {
		if (Files.size(content) == 0) {
			deleteQuietly(content);
			return null;
		}
		return store(content, filename, "batch_output").id();
	}

	private ObjectNode answer(Batch batch, long index, String line, Instant created) {
		JsonNode request = this.json.mapper().readTree(line);
		ObjectNode result = resultHead(batch, index, request.path("custom_id").asString());
		JsonNode body = request.path("body");
		// A failing line is chosen by the text of its prompt, or of its input.
		String prompt = EMBEDDINGS.equals(batch.endpoint) ? body.path("input").toString()
				: StandInChat.lastUserMessage(body.path("messages"));
		for (LineFailure failure : this.lineFailures) {
			if (prompt.contains(failure.fragment())) {
				result.putNull("response");
				ObjectNode error = result.putObject("error");
				error.put("code", failure.code());
				error.put("message", failure.message());
				return result;
			}
		}
		ObjectNode response = result.putObject("response");
		if (EMBEDDINGS.equals(batch.endpoint)) {
			StandInEmbeddings.Outcome outcome = this.embeddings.evaluate(body);
			response.put("status_code", (outcome instanceof StandInChat.Refused refused) ? refused.status() : 200);
			response.put("request_id", "req_" + batch.id + "_" + (index + 1));
			response.set("body", (outcome instanceof StandInChat.Refused refused) ? refused.body()
					: ((StandInEmbeddings.Answered) outcome).body());
			result.putNull("error");
			return result;
		}
		StandInChat.Outcome outcome = this.chat.evaluate(body);
		if (outcome instanceof StandInChat.Answered answered) {
			response.put("status_code", 200);
			response.put("request_id", "req_" + batch.id + "_" + (index + 1));
			response.set("body",
					this.json.completion("chatcmpl-standin-" + batch.number + "-" + (index + 1), created, answered));
		}
		else {
			StandInChat.Refused refused = (StandInChat.Refused) outcome;
			response.put("status_code", refused.status());
			response.put("request_id", "req_" + batch.id + "_" + (index + 1));
			response.set("body", refused.body());
		}
		result.putNull("error");
		return result;
	}

	private ObjectNode unfinished(Batch batch, long index, String line, String code) {
		JsonNode request = this.json.mapper().readTree(line);
		ObjectNode result = resultHead(batch, index, request.path("custom_id").asString());
		result.putNull("response");
		ObjectNode error = result.putObject("error");
		error.put("code", code);
		error.put("message", "This request could not be executed before the completion window expired.");
		return result;
	}

	private ObjectNode resultHead(Batch batch, long index, String customId) {
		ObjectNode result = this.json.object();
		result.put("id", "batch_req_" + batch.number + "_" + (index + 1));
		result.put("custom_id", customId);
		return result;
	}

	/**
	 * How long a batch stays in each status before the next.
	 */
	record Timeline(Duration validating, Duration inProgress, Duration finalizing) {

		static final Timeline INSTANT = new Timeline(Duration.ZERO, Duration.ZERO, Duration.ZERO);

	}

	/**
	 * How batches created from now on end, unless they are cancelled.
	 */
	record Outcome(Kind kind, @Nullable String code, @Nullable String message) {

		static final Outcome COMPLETE = new Outcome(Kind.COMPLETE, null, null);

		static final Outcome EXPIRE = new Outcome(Kind.EXPIRE, null, null);

		static Outcome fail(String code, String message) {
			return new Outcome(Kind.FAIL, Objects.requireNonNull(code, "code"),
					Objects.requireNonNull(message, "message"));
		}

		enum Kind {

			COMPLETE, FAIL, EXPIRE

		}

	}

	/**
	 * Which status an answer shows.
	 */
	private enum View {

		CURRENT, CREATED, CANCELLING

	}

	private record LineFailure(String fragment, String code, String message) {

	}

	private record Scan(long lines, List<ObjectNode> errors) {

	}

	private record Results(@Nullable String outputFileId, @Nullable String errorFileId, long succeeded, long failed) {

	}

	/**
	 * One batch. Its status is computed from the clock each time it is read.
	 */
	private final class Batch {

		private final String id;

		private final long number;

		private final String inputFileId;

		private final String endpoint;

		private final String completionWindow;

		private final @Nullable JsonNode metadata;

		private final Instant createdAt;

		private final Timeline timeline;

		private final Outcome outcome;

		private final long total;

		private final List<ObjectNode> errors;

		private @Nullable Instant cancelledAt;

		private @Nullable Instant cancelEnd;

		private @Nullable Results results;

		Batch(String id, long number, String inputFileId, String endpoint, String completionWindow,
				@Nullable JsonNode metadata, Instant createdAt, Timeline timeline, Outcome outcome, long total,
				List<ObjectNode> errors) {
			this.id = id;
			this.number = number;
			this.inputFileId = inputFileId;
			this.endpoint = endpoint;
			this.completionWindow = completionWindow;
			this.metadata = metadata;
			this.createdAt = createdAt;
			this.timeline = timeline;
			this.outcome = outcome;
			this.total = total;
			this.errors = errors;
		}

		private boolean fails() {
			return !this.errors.isEmpty() || this.outcome.kind() == Outcome.Kind.FAIL;
		}

		private Instant validatingEnd() {
			return this.createdAt.plus(this.timeline.validating());
		}

		private Instant inProgressEnd() {
			return validatingEnd().plus(this.timeline.inProgress());
		}

		private Instant finalizingEnd() {
			return inProgressEnd().plus(this.timeline.finalizing());
		}

		/**
		 * The status the batch reaches by itself, without a cancel.
		 */
		private String naturalStatus(Instant now) {
			if (now.isBefore(validatingEnd())) {
				return "validating";
			}
			if (fails()) {
				return "failed";
			}
			if (now.isBefore(inProgressEnd())) {
				return "in_progress";
			}
			if (this.outcome.kind() == Outcome.Kind.EXPIRE) {
				return "expired";
			}
			return now.isBefore(finalizingEnd()) ? "finalizing" : "completed";
		}

		synchronized String status(Instant now) {
			if (this.cancelledAt != null) {
				return now.isBefore(this.cancelEnd) ? "cancelling" : "cancelled";
			}
			return naturalStatus(now);
		}

		/**
		 * Cancel the batch.
		 * @return {@code null} when cancelled or cancelling, otherwise the status that
		 * cannot be cancelled
		 */
		synchronized @Nullable String cancel(Instant now, Duration cancelling) {
			String status = status(now);
			if (status.equals("cancelling") || status.equals("cancelled")) {
				return null;
			}
			if (!Set.of("validating", "in_progress", "finalizing").contains(status)) {
				return status;
			}
			this.cancelledAt = now;
			this.cancelEnd = now.plus(cancelling);
			return null;
		}

		/**
		 * The requests answered by the given time.
		 */
		private long progress(Instant time) {
			if (time.isBefore(validatingEnd()) || fails()) {
				return 0;
			}
			long limit = (this.outcome.kind() == Outcome.Kind.EXPIRE) ? this.total / 2 : this.total;
			Duration inProgress = this.timeline.inProgress();
			Duration elapsed = Duration.between(validatingEnd(), time);
			if (inProgress.isZero() || elapsed.compareTo(inProgress) >= 0) {
				return limit;
			}
			return (long) (limit * ((double) elapsed.toMillis() / inProgress.toMillis()));
		}

		synchronized ObjectNode render(Instant now, View view) {
			boolean justCreated = view == View.CREATED;
			// The answers to create and cancel show the status they start, as kluster.ai's
			// do, even when the timeline moves on at once.
			String status = switch (view) {
				case CREATED -> "validating";
				case CANCELLING -> "cancelling";
				case CURRENT -> status(now);
			};
			Instant frozen = (this.cancelledAt != null && this.cancelledAt.isBefore(now)) ? this.cancelledAt : now;
			if (this.results == null && Set.of("completed", "expired", "cancelled").contains(status)) {
				this.results = switch (status) {
					case "completed" -> writeResults(this, this.total, null);
					case "expired" -> writeResults(this, progress(inProgressEnd()), "batch_expired");
					default -> writeResults(this, progress(frozen), null);
				};
			}
			StandInJson json = StandInBatches.this.json;
			ObjectNode node = json.object();
			node.put("id", this.id);
			node.put("object", "batch");
			node.put("endpoint", this.endpoint);
			if (fails() && status.equals("failed")) {
				ObjectNode errorList = node.putObject("errors");
				errorList.put("object", "list");
				ArrayNode data = errorList.putArray("data");
				if (this.outcome.kind() == Outcome.Kind.FAIL) {
					ObjectNode error = data.addObject();
					error.put("code", this.outcome.code());
					error.put("message", this.outcome.message());
					error.putNull("param");
					error.putNull("line");
				}
				this.errors.forEach(data::add);
			}
			else {
				node.putNull("errors");
			}
			node.put("input_file_id", this.inputFileId);
			node.put("completion_window", this.completionWindow);
			node.put("status", status);
			node.put("output_file_id", (this.results != null) ? this.results.outputFileId() : null);
			node.put("error_file_id", (this.results != null) ? this.results.errorFileId() : null);
			json.timestamp(node, "created_at", this.createdAt);
			boolean started = !justCreated && !fails() && !frozen.isBefore(validatingEnd());
			json.timestamp(node, "in_progress_at", started ? validatingEnd() : null);
			json.timestamp(node, "expires_at", this.createdAt
				.plus(Duration.ofHours(Long.parseLong(this.completionWindow.replace("h", "")))));
			boolean finalizing = started && this.outcome.kind() != Outcome.Kind.EXPIRE
					&& !frozen.isBefore(inProgressEnd());
			json.timestamp(node, "finalizing_at", finalizing ? inProgressEnd() : null);
			json.timestamp(node, "completed_at", status.equals("completed") ? finalizingEnd() : null);
			json.timestamp(node, "failed_at", status.equals("failed") ? validatingEnd() : null);
			json.timestamp(node, "expired_at", status.equals("expired") ? inProgressEnd() : null);
			json.timestamp(node, "cancelling_at", this.cancelledAt);
			json.timestamp(node, "cancelled_at", status.equals("cancelled") ? this.cancelEnd : null);
			ObjectNode counts = node.putObject("request_counts");
			counts.put("total", this.total);
			if (this.results != null) {
				counts.put("completed", this.results.succeeded());
				counts.put("failed", this.results.failed());
			}
			else {
				counts.put("completed", justCreated ? 0 : progress(frozen));
				counts.put("failed", 0);
			}
			node.set("metadata", this.metadata);
			return node;
		}

	}

}
