package dev.kluster.boot.benchmarks.perf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs the performance benchmark: starts the nginx stub, one JVM per client, drives the
 * workloads in interleaved rounds, measures the latency of the first call after start-up
 * and the start-up cost of the auto-configuration in fresh JVMs, and writes a Markdown
 * report. Started by
 * {@code benchmarks/run-performance.sh}, which builds the classpaths; system properties:
 * {@code bench.dir} (work and report folder), {@code bench.cp.main},
 * {@code bench.cp.actuator} (the main one plus {@code spring-boot-starter-actuator}),
 * {@code bench.cp.spring-ai}, {@code bench.cp.openai-java} (classpaths),
 * {@code bench.quick} (a short smoke run), {@code bench.clients}, {@code bench.workloads}
 * (comma-separated keys: chat1, chat64, s50x1, s50, s2000; all when unset).
 * <p>
 * The client {@code kluster-paced-redis}, run only when {@code bench.clients} names it,
 * keeps its budgets in a {@code redis-server} that the benchmark starts on a free loopback
 * port (skipped, with a log line, where {@code redis-server} is not installed); it runs the
 * chat workloads only, and its figures go into a table of their own with the round trip to
 * Redis.
 */
public final class PerformanceBenchmark {

	static final String FLOOR = "floor";

	/** All clients, or those named by {@code bench.clients} (comma-separated; the floor always runs). */
	static final List<String> CLIENTS = clients();

	private static final PrintStream OUT = System.out;

	private PerformanceBenchmark() {
	}

	record Workload(String key, String label, String command, boolean stream) {
	}

	record Settings(int warmups, double warmupSeconds, int rounds, double seconds, int openStreams, int startupRuns,
			int firstCallRuns) {
	}

	public static void main(String[] args) throws Exception {
		boolean quick = Boolean.getBoolean("bench.quick");
		Settings preset = quick ? new Settings(1, 2, 1, 2, 200, 2, 2) : new Settings(1, 15, 3, 5, 1000, 7, 7);
		// bench.startupRuns=0 skips the start-up measurement (e.g. for an experiment run),
		// bench.firstCallRuns=0 the first call's; bench.rounds sets how many rounds, more
		// for a steadier median where the machine's speed drifts between rounds.
		Settings settings = new Settings(preset.warmups(), preset.warmupSeconds(),
				Integer.getInteger("bench.rounds", preset.rounds()), preset.seconds(),
				preset.openStreams(), Integer.getInteger("bench.startupRuns", preset.startupRuns()),
				Integer.getInteger("bench.firstCallRuns", preset.firstCallRuns()));
		Path dir = Path.of(System.getProperty("bench.dir", "benchmarks/target/performance")).toAbsolutePath();
		Map<String, String> classpaths = Map.of(FLOOR, cp("main"), "kluster", cp("main"), "kluster-observed",
				cp("actuator"), "kluster-direct", cp("main"), "kluster-paced", cp("main"), "connector", cp("main"), "spring-ai", cp("spring-ai"), "openai-java",
				cp("openai-java"), KlusterClient.REDIS_CLIENT, cp("redis"));
		List<Workload> workloads = workloads();
		Instant started = Instant.now();
		Map<String, Map<String, List<Map<String, String>>>> results = new LinkedHashMap<>();
		Map<String, List<Map<String, String>>> open = new LinkedHashMap<>();
		List<Map<String, String>> startupWith = new ArrayList<>();
		List<Map<String, String>> startupWithout = new ArrayList<>();
		Map<String, List<Map<String, String>>> firstCalls = new LinkedHashMap<>();
		Map<String, String> roundTrip = new LinkedHashMap<>();
		// bench.only=first-call measures the first call after start-up only.
		if ("first-call".equals(System.getProperty("bench.only"))) {
			try (StubServer stub = StubServer.start(dir.resolve("stub"))) {
				firstCalls(settings, "http://127.0.0.1:" + stub.port, dir, firstCalls);
			}
			StringBuilder report = new StringBuilder();
			firstCallTable(report, firstCalls);
			Files.writeString(dir.resolve("performance.md"), report);
			OUT.println(report);
			return;
		}
		// bench.only=pacer measures what the local pacer itself costs per call (PacerCost).
		if ("pacer".equals(System.getProperty("bench.only"))) {
			Map<String, String> cost = fresh(dir, "pacer.log", cp("main"), PacerCost.class.getName());
			String report = "| the local pacer itself, per call (one thread, an exchange that answers at once) | "
					+ "CPU ns | alloc bytes |\n| --- | ---: | ---: |\n| filter and usage correction, with budgets, "
					+ "minus the exchange alone (median of 7 rounds of 2,000,000 calls) | " + cost.get("cpuNs") + " | "
					+ cost.get("allocBytes") + " |\n";
			Files.writeString(dir.resolve("performance.md"), report);
			OUT.println(report);
			return;
		}
		// bench.only=startup measures the start-up only, adding a "webclient-only" variant
		// and a "with-cold" one (the auto-configuration without the warm-up).
		boolean startupOnly = "startup".equals(System.getProperty("bench.only"));
		List<Map<String, String>> startupWebClientOnly = new ArrayList<>();
		List<Map<String, String>> startupWithCold = new ArrayList<>();
		if (startupOnly) {
			for (int run = 0; run < settings.startupRuns(); run++) {
				startupWith.add(startup(cp("main"), "with", dir));
				startupWithout.add(startup(cp("main"), "without", dir));
				startupWebClientOnly.add(startup(cp("main"), "webclient-only", dir));
				startupWithCold.add(startup(cp("main"), "with-cold", dir));
				log("start-up run " + (run + 1) + ": with " + startupWith.get(run) + ", without "
						+ startupWithout.get(run) + ", webclient-only " + startupWebClientOnly.get(run)
						+ ", with-cold " + startupWithCold.get(run));
			}
			String report = String.format(Locale.ROOT,
					"| start-up (%d fresh JVMs each) | SpringApplication.run ms (median) | beans |%n| --- | ---: | ---: |%n"
							+ "| with the kluster auto-configuration | %.0f | %.0f |%n| without (excluded) | %.0f | %.0f |%n"
							+ "| without, plus one WebClient from Boot's builder | %.0f | %.0f |%n"
							+ "| with, kluster.warm-up.enabled=false | %.0f | %.0f |%n",
					settings.startupRuns(), median(startupWith, "run"), median(startupWith, "beans"),
					median(startupWithout, "run"), median(startupWithout, "beans"), median(startupWebClientOnly, "run"),
					median(startupWebClientOnly, "beans"), median(startupWithCold, "run"),
					median(startupWithCold, "beans"));
			Files.writeString(dir.resolve("performance.md"), report);
			OUT.println(report);
			return;
		}
		try (StubServer stub = StubServer.start(dir.resolve("stub"));
				RedisServer redis = CLIENTS.contains(KlusterClient.REDIS_CLIENT) ? RedisServer.start(dir.resolve("redis"))
						: null) {
			String address = "http://127.0.0.1:" + stub.port;
			log("nginx (pid " + stub.pid() + ") on " + address);
			if (redis != null) {
				log("redis-server (pid " + redis.pid() + ") on 127.0.0.1:" + redis.port);
			}
			List<WorkerProcess> workers = new ArrayList<>();
			try {
				for (String client : CLIENTS) {
					List<String> options = client.equals(KlusterClient.REDIS_CLIENT)
							? List.of("-Dbench.redis.port=" + redis.port) : List.of();
					workers.add(WorkerProcess.start(client, classpaths.get(client), options, address, dir));
					log("started " + client);
				}
				for (int warmup = 0; warmup < settings.warmups(); warmup++) {
					for (Workload workload : workloads) {
						for (WorkerProcess worker : workers) {
							if (!runs(worker.name, workload)) {
								continue;
							}
							Map<String, String> result = worker
								.ask(workload.command() + " " + settings.warmupSeconds());
							log("warm-up " + workload.key() + " " + worker.name + ": " + result);
						}
					}
				}
				for (int round = 0; round < settings.rounds(); round++) {
					List<WorkerProcess> order = rotated(workers, round);
					for (Workload workload : workloads) {
						for (WorkerProcess worker : order) {
							if (!runs(worker.name, workload)) {
								continue;
							}
							Map<String, String> result = worker.ask(workload.command() + " " + settings.seconds());
							log("round " + (round + 1) + " " + workload.key() + " " + worker.name + ": " + result);
							results.computeIfAbsent(workload.key(), (key) -> new LinkedHashMap<>())
								.computeIfAbsent(worker.name, (key) -> new ArrayList<>())
								.add(result);
						}
					}
					for (WorkerProcess worker : order) {
						if (worker.name.equals(KlusterClient.REDIS_CLIENT)) {
							continue;
						}
						// The OkHttp dispatcher of openai-java (and so of Spring AI) runs at most
						// 64 requests at once, and neither lets a caller change that.
						int count = worker.name.equals("openai-java") || worker.name.equals("spring-ai") ? Math.min(64, settings.openStreams())
								: settings.openStreams();
						Map<String, String> result = worker.ask("open " + count + " 60");
						log("round " + (round + 1) + " open " + worker.name + ": " + result);
						open.computeIfAbsent(worker.name, (key) -> new ArrayList<>()).add(result);
					}
				}
				for (WorkerProcess worker : workers) {
					if (worker.name.equals(KlusterClient.REDIS_CLIENT)) {
						roundTrip.putAll(worker.ask("roundtrip " + (quick ? 200 : 5000)));
						log("round trip to redis: " + roundTrip);
					}
				}
			}
			finally {
				for (WorkerProcess worker : workers) {
					worker.quit();
				}
			}
			firstCalls(settings, address, dir, firstCalls);
		}
		for (int run = 0; run < settings.startupRuns(); run++) {
			startupWith.add(startup(cp("main"), "with", dir));
			startupWithout.add(startup(cp("main"), "without", dir));
			log("start-up run " + (run + 1) + ": with " + startupWith.get(run) + ", without " + startupWithout.get(run));
		}
		String report = report(settings, quick, workloads, results, open, roundTrip, firstCalls, startupWith,
				startupWithout, started);
		Files.writeString(dir.resolve("performance.md"), report);
		OUT.println(report);
		log("report written to " + dir.resolve("performance.md"));
	}

	// bench.workloads=s50x1,s2000 runs some workloads only (keys as below).
	private static List<Workload> workloads() {
		List<Workload> all = List.of(new Workload("chat1", "chat, 1 in flight", "chat 1", false),
				new Workload("chat64", "chat, 64 in flight", "chat 64", false),
				// One stream at a time: the time to its first chunk is the client's own
				// latency, not a place in a queue of other streams' chunks.
				new Workload("s50x1", "stream of 50 chunks, 1 in flight", "stream s50 1", true),
				new Workload("s50", "stream of 50 chunks, 16 in flight", "stream s50 16", true),
				new Workload("s2000", "stream of 2,000 chunks, 4 in flight", "stream s2000 4", true));
		String named = System.getProperty("bench.workloads");
		if (named == null || named.isBlank()) {
			return all;
		}
		List<String> keys = Arrays.stream(named.split(",")).map(String::strip).toList();
		return all.stream().filter((workload) -> keys.contains(workload.key())).toList();
	}

	private static List<String> clients() {
		String named = System.getProperty("bench.clients");
		if (named == null || named.isBlank()) {
			return List.of(FLOOR, "kluster", "kluster-observed", "kluster-direct", "spring-ai", "openai-java");
		}
		List<String> clients = new ArrayList<>(List.of(FLOOR));
		for (String name : named.split(",")) {
			if (!name.isBlank() && !clients.contains(name.strip())) {
				clients.add(name.strip());
			}
		}
		if (clients.contains(KlusterClient.REDIS_CLIENT) && RedisServer.binary().isEmpty()) {
			log("redis-server is not installed: skipping " + KlusterClient.REDIS_CLIENT
					+ " and the round trip to Redis (apt-get install redis-server)");
			clients.remove(KlusterClient.REDIS_CLIENT);
		}
		return List.copyOf(clients);
	}

	// The client whose budgets are in Redis runs the chat workloads only: what a call pays
	// for the shared pacer, which streams pay alike.
	private static boolean runs(String client, Workload workload) {
		return !client.equals(KlusterClient.REDIS_CLIENT) || !workload.stream();
	}

	private static String cp(String name) {
		String value = System.getProperty("bench.cp." + name);
		if (value == null) {
			throw new IllegalStateException("bench.cp." + name + " is not set: run benchmarks/run-performance.sh");
		}
		return value;
	}

	private static List<WorkerProcess> rotated(List<WorkerProcess> workers, int round) {
		List<WorkerProcess> order = new ArrayList<>(workers);
		java.util.Collections.rotate(order, -round);
		return order;
	}

	private static Map<String, String> startup(String classpath, String variant, Path dir) throws Exception {
		return fresh(dir, "startup.log", classpath, "dev.kluster.boot.benchmarks.perf.StartupApp", variant);
	}

	// With and without the warm-up, alternating, each in a fresh JVM.
	private static void firstCalls(Settings settings, String address, Path dir,
			Map<String, List<Map<String, String>>> firstCalls) throws Exception {
		for (int run = 0; run < settings.firstCallRuns(); run++) {
			for (String variant : List.of("warm", "cold")) {
				Map<String, String> result = fresh(dir, "first-call.log", cp("main"),
						"dev.kluster.boot.benchmarks.perf.FirstCallApp", variant, address);
				firstCalls.computeIfAbsent(variant, (key) -> new ArrayList<>()).add(result);
				log("first-call run " + (run + 1) + " " + variant + ": " + result);
			}
		}
	}

	// One JVM that prints one RESULT line.
	private static Map<String, String> fresh(Path dir, String logName, String classpath, String main,
			String... args) throws Exception {
		Process process = new ProcessBuilder(javaCommand(classpath, main, args))
			.redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve(logName).toFile()))
			.start();
		Map<String, String> result = Map.of("error", "no-result");
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.startsWith("RESULT")) {
					result = parse(line);
				}
			}
		}
		process.waitFor();
		return result;
	}

	static List<String> javaCommand(String classpath, String main, String... args) {
		return javaCommand(classpath, main, List.of(), args);
	}

	static List<String> javaCommand(String classpath, String main, List<String> options, String... args) {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-XX:-UseDynamicNumberOfCompilerThreads",
				"-Dreactor.netty.pool.maxConnections=2048"));
		command.addAll(options);
		// Extra options for every forked JVM, e.g. a JFR recording: bench.jvm (space-separated).
		String extra = System.getProperty("bench.jvm", "").strip();
		if (!extra.isEmpty()) {
			command.addAll(Arrays.asList(extra.split("\\s+")));
		}
		command.addAll(List.of("-cp", classpath, main));
		command.addAll(Arrays.asList(args));
		return command;
	}

	static Map<String, String> parse(String line) {
		Map<String, String> values = new LinkedHashMap<>();
		for (String word : line.strip().split(" ")) {
			int equals = word.indexOf('=');
			if (equals > 0) {
				values.put(word.substring(0, equals), word.substring(equals + 1));
			}
		}
		return values;
	}

	static void log(String message) {
		System.err.println("[" + Instant.now() + "] " + message);
	}

	// ---- report ----

	private static double median(List<Map<String, String>> runs, String key) {
		return median(runs.stream()
			.filter((run) -> run.containsKey(key))
			.mapToDouble((run) -> Double.parseDouble(run.get(key)))
			.filter((value) -> !Double.isNaN(value))
			.toArray());
	}

	/**
	 * The median of some values, {@code NaN} when there are none.
	 * @param values the values, in any order
	 * @return their median
	 */
	static double median(double[] values) {
		if (values.length == 0) {
			return Double.NaN;
		}
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return (sorted.length % 2 == 1) ? sorted[sorted.length / 2]
				: (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
	}

	private static String f(double value, String format) {
		return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, format, value);
	}

	private static String report(Settings settings, boolean quick, List<Workload> workloads,
			Map<String, Map<String, List<Map<String, String>>>> results, Map<String, List<Map<String, String>>> open,
			Map<String, String> roundTrip, Map<String, List<Map<String, String>>> firstCalls,
			List<Map<String, String>> startupWith, List<Map<String, String>> startupWithout, Instant started) {
		StringBuilder md = new StringBuilder();
		md.append("Run of ").append(started).append(quick ? " (quick mode: smoke test only, figures not meaningful)" : "")
			.append(": ").append(settings.warmups()).append(" warm-up pass(es) of ").append(settings.warmupSeconds())
			.append(" s per client and workload, then ").append(settings.rounds()).append(" interleaved round(s) of ")
			.append(settings.seconds()).append(" s; medians over rounds.\n\n");
		md.append("| workload | client | calls/s | p50 ms | p99 ms | CPU µs/call | × floor | CPU w/o JIT µs/call | × floor "
				+ "| alloc KB/call | × floor | first chunk ms (p50) | errors |\n");
		md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
		for (Workload workload : workloads) {
			Map<String, List<Map<String, String>>> byClient = results.getOrDefault(workload.key(), Map.of());
			List<Map<String, String>> floor = byClient.getOrDefault(FLOOR, List.of());
			for (String client : CLIENTS) {
				if (!runs(client, workload)) {
					continue;
				}
				List<Map<String, String>> runs = byClient.getOrDefault(client, List.of());
				Function<String, Double> m = (key) -> median(runs, key);
				Function<String, Double> ratio = (key) -> median(runs, key) / median(floor, key);
				double errors = runs.stream().mapToDouble((run) -> Double.parseDouble(run.getOrDefault("errors", "0"))).sum();
				boolean failed = runs.stream().anyMatch((run) -> run.containsKey("error"));
				md.append("| ").append(workload.label()).append(" | ").append(client).append(" | ")
					.append(f(m.apply("throughput"), "%.0f")).append(" | ").append(f(m.apply("p50"), "%.2f")).append(" | ")
					.append(f(m.apply("p99"), "%.2f")).append(" | ").append(f(m.apply("cpu"), "%.0f")).append(" | ")
					.append(f(ratio.apply("cpu"), "%.2f×")).append(" | ").append(f(m.apply("cpuNoJit"), "%.0f")).append(" | ")
					.append(f(ratio.apply("cpuNoJit"), "%.2f×")).append(" | ").append(f(m.apply("alloc") / 1024, "%.1f"))
					.append(" | ").append(f(ratio.apply("alloc"), "%.2f×")).append(" | ")
					.append(workload.stream() ? f(m.apply("ttfc"), "%.3f") : "–").append(" | ")
					.append(failed ? "failed" : String.format(Locale.ROOT, "%.0f", errors)).append(" |\n");
			}
		}
		redisTable(md, workloads, results, roundTrip);
		md.append("\n| open streams (held) | client | streams open | heap MB after GC | KB per stream | heap for 1,000 MB |\n");
		md.append("| --- | --- | ---: | ---: | ---: | ---: |\n");
		for (String client : CLIENTS) {
			if (client.equals(KlusterClient.REDIS_CLIENT)) {
				continue;
			}
			List<Map<String, String>> runs = open.getOrDefault(client, List.of());
			double perStream = median(runs, "perStreamKb");
			md.append("| trickling streams | ").append(client).append(" | ").append(f(median(runs, "open"), "%.0f"))
				.append(" | ").append(f(median(runs, "heapMb"), "%.1f")).append(" | ").append(f(perStream, "%.1f"))
				.append(" | ").append(f(perStream * 1000 / 1024, "%.1f")).append(" |\n");
		}
		md.append('\n');
		firstCallTable(md, firstCalls);
		double with = median(startupWith, "run");
		double without = median(startupWithout, "run");
		md.append("\n| start-up (").append(startupWith.size()).append(" fresh JVMs each) | SpringApplication.run ms (median) "
				+ "| JVM uptime at ready ms | beans |\n| --- | ---: | ---: | ---: |\n");
		md.append("| with the kluster auto-configuration | ").append(f(with, "%.0f")).append(" | ")
			.append(f(median(startupWith, "uptime"), "%.0f")).append(" | ").append(f(median(startupWith, "beans"), "%.0f"))
			.append(" |\n");
		md.append("| without (excluded) | ").append(f(without, "%.0f")).append(" | ")
			.append(f(median(startupWithout, "uptime"), "%.0f")).append(" | ")
			.append(f(median(startupWithout, "beans"), "%.0f")).append(" |\n");
		md.append("| **added by the auto-configuration** | **").append(f(with - without, "%.0f")).append("** | ")
			.append(f(median(startupWith, "uptime") - median(startupWithout, "uptime"), "%.0f")).append(" | |\n");
		md.append("\nTargets (the kluster client as users get it, row `kluster`):\n\n");
		target(md, results, "chat64", "cpu", 1.15, "Chat at 64 in flight: CPU per call ≤ 1.15× the floor");
		peers(md, results);
		target(md, results, "s50", "cpu", 1.15, "Stream of 50 chunks: CPU per stream ≤ 1.15× the floor");
		target(md, results, "s2000", "cpu", 1.15, "Stream of 2,000 chunks: CPU per stream ≤ 1.15× the floor");
		target(md, results, "s2000", "cpu", 1.10, "Stream of 2,000 chunks: CPU per stream ≤ 1.10× the floor");
		for (Workload workload : workloads) {
			pairedTarget(md, results, workload.key(), "cpu", "kluster-observed", "kluster", 1.20,
					"With the actuator (`kluster-observed`), " + workload.label()
							+ ": CPU per call ≤ 1.20× the plain client's");
		}
		for (String key : List.of("chat1", "chat64")) {
			for (String metric : List.of("cpu", "alloc")) {
				target(md, results, key, metric, "kluster", "kluster-direct", 1.15,
						"Chat at " + key.substring(4) + " in flight: " + (metric.equals("cpu") ? "CPU" : "allocation")
								+ " per call ≤ 1.15× a bare `WebClient` exchange (`kluster-direct`)");
			}
		}
		firstChunk(md, results, "s50x1", "s50, 1 in flight", 0.2);
		firstChunk(md, results, "s50", "s50", 1.0);
		firstChunk(md, results, "s2000", "s2000", 1.0);
		target(md, results, "chat1", "alloc", 1.5, "Allocation per chat call (1 in flight) ≤ 1.5× the floor");
		target(md, results, "chat64", "alloc", 1.5, "Allocation per chat call (64 in flight) ≤ 1.5× the floor");
		double heap = median(open.getOrDefault("kluster", List.of()), "perStreamKb") * 1000 / 1024;
		md.append("- 1,000 concurrent open streams under 64 MB of heap: ").append(f(heap, "%.1f MB")).append(" → ")
			.append(heap < 64 ? "**met**" : "**missed**").append('\n');
		List<Map<String, String>> firstCallRuns = firstCalls.getOrDefault("warm", List.of());
		if (!firstCallRuns.isEmpty()) {
			double firstCallDiff = firstCallDifference(firstCallRuns);
			md.append("- First call after start-up within 50 ms of a warm call (with the warm-up): ")
				.append(f(firstCallDiff, "%+.1f ms")).append(" → ")
				.append(firstCallDiff <= 50 ? "**met**" : "**missed**")
				.append('\n');
		}
		if (!startupWith.isEmpty()) {
			md.append("- The auto-configuration adds under 50 ms to start-up: ").append(f(with - without, "%.0f ms"))
				.append(" → ").append((with - without) < 50 ? "**met**" : "**missed**").append('\n');
		}
		return md.toString();
	}

	// What the pacer costs per chat call with its budgets in this instance and in Redis,
	// next to the round trip to Redis, when the client with budgets in Redis ran.
	private static void redisTable(StringBuilder md, List<Workload> workloads,
			Map<String, Map<String, List<Map<String, String>>>> results, Map<String, String> roundTrip) {
		if (!CLIENTS.contains(KlusterClient.REDIS_CLIENT)) {
			return;
		}
		md.append("\n| pacer: budgets in Redis | client | p50 ms | p99 ms | CPU µs/call | + CPU µs vs kluster "
				+ "| alloc KB/call | + alloc KB vs kluster |\n");
		md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
		for (Workload workload : workloads) {
			if (workload.stream()) {
				continue;
			}
			Map<String, List<Map<String, String>>> byClient = results.getOrDefault(workload.key(), Map.of());
			List<Map<String, String>> plain = byClient.getOrDefault("kluster", List.of());
			for (String client : List.of("kluster", "kluster-paced", KlusterClient.REDIS_CLIENT)) {
				if (!CLIENTS.contains(client)) {
					continue;
				}
				List<Map<String, String>> runs = byClient.getOrDefault(client, List.of());
				md.append("| ").append(workload.label()).append(" | ").append(client).append(" | ")
					.append(f(median(runs, "p50"), "%.3f")).append(" | ").append(f(median(runs, "p99"), "%.2f"))
					.append(" | ").append(f(median(runs, "cpu"), "%.0f")).append(" | ")
					.append(f(median(runs, "cpu") - median(plain, "cpu"), "%+.0f")).append(" | ")
					.append(f(median(runs, "alloc") / 1024, "%.1f")).append(" | ")
					.append(f((median(runs, "alloc") - median(plain, "alloc")) / 1024, "%+.2f")).append(" |\n");
			}
		}
		md.append("\n| round trip to Redis (").append(roundTrip.getOrDefault("count", "n/a"))
			.append(" one after the other) | p50 µs | p99 µs |\n| --- | ---: | ---: |\n");
		md.append("| `PING` on a socket of its own | ").append(roundTrip.getOrDefault("pingP50", "n/a")).append(" | ")
			.append(roundTrip.getOrDefault("pingP99", "n/a")).append(" |\n");
		md.append("| one reservation through the pacer's store (Bucket4j compare-and-swap, Lettuce) | ")
			.append(roundTrip.getOrDefault("reserveP50", "n/a")).append(" | ")
			.append(roundTrip.getOrDefault("reserveP99", "n/a")).append(" |\n");
		if (!"true".equals(roundTrip.get("budgetInRedis"))) {
			md.append("\n**The chat calls' budget was not found in Redis: the pacer fell back to its local store, "
					+ "and the figures above are not Redis's.**\n");
		}
	}

	private static void firstCallTable(StringBuilder md, Map<String, List<Map<String, String>>> firstCalls) {
		int runs = firstCalls.getOrDefault("warm", List.of()).size();
		md.append("| first call after start-up (").append(runs).append(" fresh JVMs each) | first call ms (median) "
				+ "| warm call ms (median) | difference ms (median) | warm-up ms (median) |\n"
				+ "| --- | ---: | ---: | ---: | ---: |\n");
		for (String variant : List.of("warm", "cold")) {
			List<Map<String, String>> runsOf = firstCalls.getOrDefault(variant, List.of());
			md.append(variant.equals("warm") ? "| with the warm-up (default) | "
					: "| without (kluster.warm-up.enabled=false) | ")
				.append(f(median(runsOf, "first"), "%.1f")).append(" | ").append(f(median(runsOf, "warm"), "%.2f"))
				.append(" | ").append(f(firstCallDifference(runsOf), "%+.1f")).append(" | ")
				.append(variant.equals("warm") ? f(median(runsOf, "warmUp"), "%.0f") : "–").append(" |\n");
		}
	}

	// The median over JVMs of each JVM's first call minus its warm calls' median.
	private static double firstCallDifference(List<Map<String, String>> runs) {
		List<Map<String, String>> differences = new ArrayList<>();
		for (Map<String, String> run : runs) {
			if (run.containsKey("first") && run.containsKey("warm")) {
				double difference = Double.parseDouble(run.get("first")) - Double.parseDouble(run.get("warm"));
				differences.add(Map.of("difference", Double.toString(difference)));
			}
		}
		return median(differences, "difference");
	}

	private static void target(StringBuilder md, Map<String, Map<String, List<Map<String, String>>>> results, String key,
			String metric, double limit, String label) {
		target(md, results, key, metric, "kluster", FLOOR, limit, label);
	}

	// The ratio of a client's figure to a base client's in one workload, against a limit.
	private static void target(StringBuilder md, Map<String, Map<String, List<Map<String, String>>>> results, String key,
			String metric, String client, String base, double limit, String label) {
		Map<String, List<Map<String, String>>> byClient = results.getOrDefault(key, Map.of());
		if (!byClient.containsKey(client) || !byClient.containsKey(base)) {
			// Not run (bench.workloads, bench.clients).
			return;
		}
		double floor = median(byClient.get(base), metric);
		double ratio = median(byClient.get(client), metric) / floor;
		md.append("- ").append(label).append(": ").append(f(ratio, "%.2f×"));
		if (metric.equals("cpu")) {
			double noJit = median(byClient.get(client), "cpuNoJit") / median(byClient.get(base), "cpuNoJit");
			md.append(" (").append(f(noJit, "%.2f×")).append(" without JIT threads)");
			md.append(" → ").append(ratio <= limit && noJit <= limit ? "**met**"
					: (ratio <= limit || noJit <= limit) ? "**met on one measure only**" : "**missed**");
		}
		else {
			md.append(" → ").append(ratio <= limit ? "**met**" : "**missed**");
		}
		md.append('\n');
	}

	// Two clients of one application, compared: the ratio of their medians, and also the
	// ratio of the two in each round (both ran in it, a few seconds apart, in an order that
	// rotates), whose median the machine's drift from one round to the next moves less. Met
	// when both are within the limit; either alone is said so.
	private static void pairedTarget(StringBuilder md, Map<String, Map<String, List<Map<String, String>>>> results,
			String key, String metric, String client, String base, double limit, String label) {
		Map<String, List<Map<String, String>>> byClient = results.getOrDefault(key, Map.of());
		if (!byClient.containsKey(client) || !byClient.containsKey(base)) {
			return;
		}
		List<Map<String, String>> runs = byClient.get(client);
		List<Map<String, String>> baseRuns = byClient.get(base);
		double ratio = median(runs, metric) / median(baseRuns, metric);
		double[] perRound = new double[Math.min(runs.size(), baseRuns.size())];
		for (int round = 0; round < perRound.length; round++) {
			perRound[round] = Double.parseDouble(runs.get(round).get(metric))
					/ Double.parseDouble(baseRuns.get(round).get(metric));
		}
		double paired = median(perRound);
		double[] sorted = perRound.clone();
		Arrays.sort(sorted);
		md.append("- ").append(label).append(": ").append(f(ratio, "%.2f×")).append(" by the medians, ")
			.append(f(paired, "%.2f×")).append(" per round (median of ").append(perRound.length).append(", ")
			.append(f(sorted[0], "%.2f×")).append("–").append(f(sorted[sorted.length - 1], "%.2f×")).append(") → ")
			.append((ratio <= limit && paired <= limit) ? "**met**"
					: (ratio <= limit) ? "**met by the medians only**"
							: (paired <= limit) ? "**met per round only**" : "**missed**")
			.append('\n');
	}

	private static void firstChunk(StringBuilder md, Map<String, Map<String, List<Map<String, String>>>> results,
			String key, String label, double limitMs) {
		if (!results.containsKey(key)) {
			return;
		}
		Map<String, List<Map<String, String>>> byClient = results.getOrDefault(key, Map.of());
		double diff = median(byClient.getOrDefault("kluster", List.of()), "ttfc")
				- median(byClient.getOrDefault(FLOOR, List.of()), "ttfc");
		md.append("- Time to first chunk (").append(label).append(") within ")
			.append((limitMs < 1) ? limitMs + " ms" : f(limitMs, "%.0f ms"))
			.append(" of the floor: ").append(f(diff, "%+.3f ms")).append(" → ")
			.append(diff <= limitMs ? "**met**" : "**missed**").append('\n');
	}

	private static void peers(StringBuilder md, Map<String, Map<String, List<Map<String, String>>>> results) {
		if (!results.containsKey("chat64")) {
			return;
		}
		Map<String, List<Map<String, String>>> byClient = results.getOrDefault("chat64", Map.of());
		double kluster = median(byClient.getOrDefault("kluster", List.of()), "cpu");
		StringBuilder detail = new StringBuilder();
		boolean below = true;
		for (String peer : List.of("spring-ai", "openai-java")) {
			double value = median(byClient.getOrDefault(peer, List.of()), "cpu");
			below &= kluster < value;
			detail.append(peer).append(' ').append(f(value, "%.0f µs")).append(", ");
		}
		md.append("- Chat at 64 in flight: CPU per call below every peer: kluster ").append(f(kluster, "%.0f µs"))
			.append(" vs ").append(detail, 0, detail.length() - 2).append(" → ").append(below ? "**met**" : "**missed**")
			.append('\n');
	}

	/** A client JVM driven through its standard input and output. */
	static final class WorkerProcess {

		final String name;

		private final Process process;

		private final BufferedReader reader;

		private final PrintStream writer;

		private WorkerProcess(String name, Process process) {
			this.name = name;
			this.process = process;
			this.reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
			this.writer = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
		}

		static WorkerProcess start(String name, String classpath, List<String> options, String address, Path dir)
				throws IOException {
			Process process = new ProcessBuilder(
					javaCommand(classpath, "dev.kluster.boot.benchmarks.perf.Worker", options, name, address))
				.redirectError(dir.resolve(name + ".log").toFile())
				.start();
			WorkerProcess worker = new WorkerProcess(name, process);
			// Skips what the JVM itself prints first, such as a JFR recording's notice.
			String line = worker.reader.readLine();
			while (line != null && !line.equals("READY")) {
				line = worker.reader.readLine();
			}
			if (line == null) {
				throw new IllegalStateException(name + " did not start: see " + dir.resolve(name + ".log"));
			}
			return worker;
		}

		Map<String, String> ask(String command) throws IOException {
			this.writer.println(command);
			String line;
			while ((line = this.reader.readLine()) != null) {
				if (line.startsWith("RESULT")) {
					return parse(line);
				}
			}
			throw new IllegalStateException(this.name + " ended");
		}

		void quit() throws InterruptedException {
			this.writer.println("quit");
			if (!this.process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
				this.process.destroy();
			}
		}

	}

}
