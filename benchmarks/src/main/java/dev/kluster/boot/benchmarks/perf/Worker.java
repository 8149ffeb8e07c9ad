package dev.kluster.boot.benchmarks.perf;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The JVM of one client under test. Reads commands from standard input, one a line, runs
 * them and answers each with one {@code RESULT} line on standard output:
 * <ul>
 * <li>{@code chat <in-flight> <seconds>}: closed loop of chat completions;</li>
 * <li>{@code stream <target> <in-flight> <seconds>}: closed loop of streams;</li>
 * <li>{@code open <count> <seconds>}: opens that many trickling streams, waits for the
 * first chunk of each, measures the heap they hold after GC, then cancels them;</li>
 * <li>{@code roundtrip <count>}: the round trip to Redis, for the client whose budgets
 * are there ({@link KlusterClient#roundTrips});</li>
 * <li>{@code quit}.</li>
 * </ul>
 * Arguments: the client's name and the stub's base address (http://127.0.0.1:port).
 */
public final class Worker {

	private static final int MAX_SAMPLES = 1 << 21;

	private Worker() {
	}

	public static void main(String[] args) throws Exception {
		PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
				StandardCharsets.UTF_8);
		// Libraries that print go to standard error; only results go to standard output.
		System.setOut(System.err);
		String name = args[0];
		String address = args[1];
		BenchClient client = create(name, address);
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		out.println("READY");
		String line;
		while ((line = in.readLine()) != null) {
			String[] words = line.strip().split(" ");
			try {
				switch (words[0]) {
					case "chat" -> out.println(loop(client, null, Integer.parseInt(words[1]), Double.parseDouble(words[2])));
					case "stream" -> out.println(
							loop(client, words[1], Integer.parseInt(words[2]), Double.parseDouble(words[3])));
					case "open" -> out.println(open(client, Integer.parseInt(words[1]), Integer.parseInt(words[2])));
					case "roundtrip" -> out.println((client instanceof KlusterClient kluster)
							? kluster.roundTrips(Integer.parseInt(words[1])) : "RESULT error=no-redis");
					case "quit" -> {
						client.close();
						out.println("BYE");
						System.exit(0);
					}
					default -> out.println("RESULT error=unknown-command");
				}
			}
			catch (Throwable ex) {
				ex.printStackTrace();
				out.println("RESULT error=" + ex.getClass().getSimpleName());
			}
		}
		System.exit(0);
	}

	private static BenchClient create(String name, String address) throws Exception {
		String type = switch (name) {
			case "floor" -> "dev.kluster.boot.benchmarks.perf.FloorClient";
			case "kluster", "kluster-observed", "kluster-paced", KlusterClient.REDIS_CLIENT ->
				"dev.kluster.boot.benchmarks.perf.KlusterClient";
			case "kluster-direct" -> "dev.kluster.boot.benchmarks.perf.KlusterDirectClient";
			case "connector" -> "dev.kluster.boot.benchmarks.perf.ConnectorClient";
			case "spring-ai" -> "dev.kluster.boot.benchmarks.perf.SpringAiClient";
			case "openai-java" -> "dev.kluster.boot.benchmarks.perf.OpenAiJavaClient";
			default -> throw new IllegalArgumentException("No client named " + name);
		};
		// Read by KlusterClient: the paced row is the plain one with budgets that never wait.
		System.setProperty("bench.client", name);
		return (BenchClient) Class.forName(type)
			.getDeclaredConstructor(String.class, boolean.class)
			.newInstance(address, name.endsWith("-observed"));
	}

	/** A closed loop: {@code inFlight} calls, each started as the one before it ends. */
	private static String loop(BenchClient client, String target, int inFlight, double seconds)
			throws InterruptedException {
		long[] latencies = new long[MAX_SAMPLES];
		long[] firsts = new long[MAX_SAMPLES];
		AtomicInteger latencyCount = new AtomicInteger();
		AtomicInteger firstCount = new AtomicInteger();
		AtomicInteger errors = new AtomicInteger();
		AtomicLong items = new AtomicLong();
		AtomicReference<Throwable> firstError = new AtomicReference<>();
		AtomicInteger running = new AtomicInteger(inFlight);
		CountDownLatch finished = new CountDownLatch(1);
		ProcessMeter.Snapshot start = ProcessMeter.snapshot();
		long deadline = start.wallNanos() + (long) (seconds * 1e9);
		Runnable[] launcher = new Runnable[1];
		launcher[0] = () -> {
			if (System.nanoTime() >= deadline) {
				if (running.decrementAndGet() == 0) {
					finished.countDown();
				}
				return;
			}
			long began = System.nanoTime();
			BenchClient.Call call = new BenchClient.Call() {

				@Override
				public void first() {
					int i = firstCount.getAndIncrement();
					if (i < MAX_SAMPLES) {
						firsts[i] = System.nanoTime() - began;
					}
				}

				@Override
				public void done(Throwable error, int count) {
					long took = System.nanoTime() - began;
					if (error != null) {
						errors.incrementAndGet();
						firstError.compareAndSet(null, error);
					}
					else {
						int i = latencyCount.getAndIncrement();
						if (i < MAX_SAMPLES) {
							latencies[i] = took;
						}
						items.addAndGet(count);
					}
					launcher[0].run();
				}

			};
			try {
				if (target == null) {
					client.chat(call);
				}
				else {
					client.stream(target, call);
				}
			}
			catch (Throwable ex) {
				call.done(ex, 0);
			}
		};
		for (int i = 0; i < inFlight; i++) {
			launcher[0].run();
		}
		if (!finished.await((long) (seconds * 1000) + 120_000, TimeUnit.MILLISECONDS)) {
			return "RESULT error=hung";
		}
		ProcessMeter.Snapshot end = ProcessMeter.snapshot();
		if (firstError.get() != null) {
			System.err.println("First error of " + errors.get() + ":");
			firstError.get().printStackTrace();
		}
		int calls = Math.min(latencyCount.get(), MAX_SAMPLES);
		if (calls == 0) {
			return "RESULT error=no-call-succeeded errors=" + errors.get();
		}
		double wallSeconds = (end.wallNanos() - start.wallNanos()) / 1e9;
		long cpu = end.cpuNanos() - start.cpuNanos();
		long compiler = end.compilerCpuNanos() - start.compilerCpuNanos();
		long allocated = end.allocatedSince(start);
		long[] sorted = Arrays.copyOf(latencies, calls);
		Arrays.sort(sorted);
		int firstCalls = Math.min(firstCount.get(), MAX_SAMPLES);
		long[] sortedFirsts = Arrays.copyOf(firsts, firstCalls);
		Arrays.sort(sortedFirsts);
		int all = calls + errors.get();
		return String.format(Locale.ROOT,
				"RESULT calls=%d errors=%d items=%d wall=%.3f throughput=%.1f p50=%.3f p99=%.3f cpu=%.1f cpuNoJit=%.1f "
						+ "alloc=%.0f ttfc=%.3f",
				calls, errors.get(), items.get(), wallSeconds, calls / wallSeconds, percentile(sorted, 50) / 1e6,
				percentile(sorted, 99) / 1e6, cpu / 1e3 / all, (cpu - compiler) / 1e3 / all, (double) allocated / all,
				(firstCalls > 0) ? percentile(sortedFirsts, 50) / 1e6 : Double.NaN);
	}

	/** Opens {@code count} trickling streams and measures the heap that they hold. */
	private static String open(BenchClient client, int count, int seconds) throws InterruptedException {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long before = usedAfterGc(memory);
		List<Runnable> cancels = new ArrayList<>(count);
		CountDownLatch firsts = new CountDownLatch(count);
		AtomicInteger errors = new AtomicInteger();
		ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
		long began = System.nanoTime();
		for (int i = 0; i < count; i++) {
			cancels.add(client.stream("trickle", new BenchClient.Call() {

				@Override
				public void first() {
					firsts.countDown();
				}

				@Override
				public void done(Throwable error, int items) {
					if (error != null) {
						errors.incrementAndGet();
						if (failures.size() < 3) {
							failures.add(error);
						}
					}
				}

			}));
		}
		boolean all = firsts.await(seconds, TimeUnit.SECONDS);
		long open = count - firsts.getCount();
		double openSeconds = (System.nanoTime() - began) / 1e9;
		long after = usedAfterGc(memory);
		// Some clients' cancel blocks until the next chunk comes: cancel all at once.
		java.util.concurrent.ExecutorService cancelling = java.util.concurrent.Executors.newFixedThreadPool(64);
		for (Runnable cancel : cancels) {
			cancelling.execute(() -> {
				try {
					cancel.run();
				}
				catch (RuntimeException ex) {
					// Already over.
				}
			});
		}
		cancelling.shutdown();
		cancelling.awaitTermination(60, TimeUnit.SECONDS);
		failures.forEach(Throwable::printStackTrace);
		Thread.sleep(2000);
		return String.format(Locale.ROOT, "RESULT open=%d all=%s errors=%d openSeconds=%.2f heapMb=%.1f perStreamKb=%.1f",
				open, all, errors.get(), openSeconds, (after - before) / 1048576.0,
				(open > 0) ? (after - before) / 1024.0 / open : Double.NaN);
	}

	private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(200);
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

	private static long percentile(long[] sorted, int percent) {
		int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

}
