package dev.kluster.boot.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import reactor.core.publisher.Flux;

import dev.kluster.boot.model.BatchOptions;
import dev.kluster.boot.batch.DefaultKlusterBatchClient;
import dev.kluster.boot.batch.KlusterBatchClient;
import dev.kluster.boot.batch.KlusterBatchSettings;
import dev.kluster.boot.client.ChatDefaults;
import dev.kluster.boot.model.Batch;
import dev.kluster.boot.model.BatchRequest;
import dev.kluster.boot.model.BatchStatus;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.test.StandInFile;
import dev.kluster.boot.transport.KlusterConnection;

/**
 * Uploads batches of generated chat requests through the kluster.ai stand-in, waits for
 * them and reads every result back, then prints a Markdown table of wall times and heap.
 * The stand-in runs in the same JVM, so the heap figures cover both ends; both keep
 * files on disk or on the wire, never in memory.
 * <p>
 * Run by {@code ./mvnw -q -Pbenchmarks -pl benchmarks -am verify -DskipTests}, in a JVM
 * with a small maximum heap; the arguments are the batch sizes, comma-separated.
 */
public final class BatchBenchmark {

	private static final String MODEL = "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo";

	private static final Duration TIMEOUT = Duration.ofMinutes(10);

	/** About 300 characters of prompt, so that a request line is close to 450 bytes. */
	private static final String REVIEW = "The delivery came two days late and the box was dented, but the blender "
			+ "itself works well: it crushes ice in seconds, the jug is easy to clean and the noise is bearable. "
			+ "Support answered my complaint within an hour and offered a voucher. Would I buy it again? Probably, "
			+ "if the shipping improves.";

	/** Kept so that the level set on it holds: the table is the only output wanted. */
	private static final Logger CLIENT_LOGGER = Logger.getLogger(DefaultKlusterBatchClient.class.getName());

	private BatchBenchmark() {
	}

	public static void main(String[] args) {
		int[] sizes = Arrays.stream(((args.length > 0) ? args[0] : "10000,100000").split(","))
			.mapToInt((size) -> Integer.parseInt(size.strip()))
			.toArray();
		CLIENT_LOGGER.setLevel(Level.WARNING);
		// Loads and compiles the code paths, so that the first measured run is not the
		// one that pays for it.
		run(2_000);
		List<Row> rows = new ArrayList<>();
		for (int size : sizes) {
			rows.add(run(size));
		}
		print(rows);
	}

	private static Row run(int size) {
		System.gc();
		try (KlusterStandIn standIn = KlusterStandIn.start(); HeapSampler heap = HeapSampler.start()) {
			KlusterBatchClient client = client(standIn);
			long start = System.nanoTime();
			Batch batch = client.submit(requests(size), BatchOptions.DEFAULTS).block(TIMEOUT);
			long uploaded = System.nanoTime();
			Batch ended = client.awaitCompletion(batch.id()).last().block(TIMEOUT);
			long completed = System.nanoTime();
			AtomicLong successes = new AtomicLong();
			AtomicLong failures = new AtomicLong();
			client.results(ended)
				.doOnNext((result) -> ((result.isSuccess() && !result.completion().text().isEmpty()) ? successes
						: failures)
					.incrementAndGet())
				.then()
				.block(TIMEOUT);
			long read = System.nanoTime();
			if (ended.status() != BatchStatus.COMPLETED || successes.get() != size) {
				throw new IllegalStateException("Batch of " + size + " ended " + ended.status() + " with "
						+ successes + " successes and " + failures + " failures");
			}
			StandInFile input = standIn.files()
				.stream()
				.filter((file) -> file.id().equals(ended.inputFileId()))
				.findFirst()
				.orElseThrow();
			StandInFile output = standIn.files()
				.stream()
				.filter((file) -> file.id().equals(ended.outputFileId()))
				.findFirst()
				.orElseThrow();
			return new Row(size, input.bytes(), output.bytes(), seconds(uploaded - start),
					seconds(completed - uploaded), seconds(read - completed), seconds(read - start), successes.get(),
					heap.peakUsed(), heap.peakAfterCollection());
		}
	}

	private static KlusterBatchClient client(KlusterStandIn standIn) {
		KlusterConnection connection = KlusterConnection.builder().apiKey("benchmark").baseUrl(standIn.baseUrl()).build();
		KlusterBatchSettings settings = KlusterBatchSettings.defaults()
			.withPolling(Duration.ofMillis(50), Duration.ofMillis(200), 1.5);
		return DefaultKlusterBatchClient.builder(connection)
			.defaults(ChatDefaults.model(MODEL))
			.settings(settings)
			.build();
	}

	/**
	 * Requests made as they are asked for: the benchmark holds none of them.
	 */
	private static Flux<BatchRequest> requests(int size) {
		return Flux.range(1, size)
			.map((i) -> BatchRequest.of("review-" + i,
					ChatCompletionRequest.builder()
						.message(ChatMessage.system("Classify the sentiment of the review as positive, "
								+ "negative or mixed."), ChatMessage.user("Review #" + i + ": " + REVIEW))
						.maxCompletionTokens(16)
						.temperature(0.0)
						.build()));
	}

	private static double seconds(long nanos) {
		return nanos / 1e9;
	}

	private static void print(List<Row> rows) {
		Runtime runtime = Runtime.getRuntime();
		String collectors = ManagementFactory.getGarbageCollectorMXBeans()
			.stream()
			.map(GarbageCollectorMXBean::getName)
			.collect(Collectors.joining(", "));
		System.out.printf(Locale.ROOT, "%nJava %s, max heap %d MB (%s), %d processors%n%n",
				System.getProperty("java.version"), mb(runtime.maxMemory()), collectors,
				runtime.availableProcessors());
		System.out.println("| requests | input file | output file | upload + create | wait | read results | total "
				+ "| results read | peak heap used | peak heap after GC |");
		System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
		for (Row row : rows) {
			System.out.printf(Locale.ROOT,
					"| %,d | %.1f MB | %.1f MB | %.2f s | %.2f s | %.2f s | %.2f s | %,d | %d MB | %d MB |%n",
					row.requests(), row.inputBytes() / 1e6, row.outputBytes() / 1e6, row.upload(), row.waiting(),
					row.read(), row.total(), row.results(), mb(row.peakUsed()), mb(row.peakAfterCollection()));
		}
	}

	private static long mb(long bytes) {
		return Math.round(bytes / (1024.0 * 1024.0));
	}

	private record Row(int requests, long inputBytes, long outputBytes, double upload, double waiting, double read,
			double total, long results, long peakUsed, long peakAfterCollection) {

	}

	/**
	 * Samples the heap every few milliseconds on a thread of its own: the highest heap in
	 * use, garbage included, and the highest heap left after a collection, which is what
	 * the program really holds.
	 */
	private static final class HeapSampler implements AutoCloseable {

		private final Thread thread;

		private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans()
			.stream()
			.filter((pool) -> pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported())
			.toList();

		private volatile boolean running = true;

		private volatile long peakUsed;

		private volatile long peakAfterCollection;

		private HeapSampler() {
			this.thread = new Thread(this::sample, "heap-sampler");
			this.thread.setDaemon(true);
		}

		static HeapSampler start() {
			HeapSampler sampler = new HeapSampler();
			sampler.thread.start();
			return sampler;
		}

		private void sample() {
			while (this.running) {
				long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
				long afterCollection = 0;
				for (MemoryPoolMXBean pool : this.pools) {
					MemoryUsage usage = pool.getCollectionUsage();
					afterCollection += (usage != null) ? usage.getUsed() : 0;
				}
				this.peakUsed = Math.max(this.peakUsed, used);
				this.peakAfterCollection = Math.max(this.peakAfterCollection, afterCollection);
				try {
					Thread.sleep(5);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}

		long peakUsed() {
			return this.peakUsed;
		}

		long peakAfterCollection() {
			return this.peakAfterCollection;
		}

		@Override
		public void close() {
			this.running = false;
			try {
				this.thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
