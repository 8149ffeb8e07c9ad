package dev.kluster.boot.benchmarks.perf;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Snapshots of this process's CPU time, of the CPU time of its JIT compiler threads and
 * of the bytes allocated by all its live threads.
 * <p>
 * Compiler threads are hidden from {@code ThreadMXBean}, so their CPU time is read from
 * {@code /proc/self/task/<tid>/stat} (Linux, clock ticks of 10 ms); run the JVM with
 * {@code -XX:-UseDynamicNumberOfCompilerThreads} so that they do not come and go.
 */
final class ProcessMeter {

	private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	private static final long NANOS_PER_TICK = 10_000_000L;

	private ProcessMeter() {
	}

	static Snapshot snapshot() {
		long[] ids = THREADS.getAllThreadIds();
		long[] allocated = THREADS.getThreadAllocatedBytes(ids);
		Map<Long, Long> byThread = new HashMap<>();
		for (int i = 0; i < ids.length; i++) {
			if (allocated[i] >= 0) {
				byThread.put(ids[i], allocated[i]);
			}
		}
		return new Snapshot(System.nanoTime(), OS.getProcessCpuTime(), compilerCpuNanos(), byThread);
	}

	static long compilerCpuNanos() {
		long ticks = 0;
		try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
			for (Path task : tasks) {
				try {
					String comm = Files.readString(task.resolve("comm")).strip();
					if (!comm.contains("CompilerThre")) {
						continue;
					}
					String stat = Files.readString(task.resolve("stat"));
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					// fields[11] and [12] are utime and stime (fields 14 and 15 of stat).
					ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
				}
				catch (IOException | RuntimeException ex) {
					// The thread ended meanwhile.
				}
			}
		}
		catch (IOException ex) {
			return 0;
		}
		return ticks * NANOS_PER_TICK;
	}

	record Snapshot(long wallNanos, long cpuNanos, long compilerCpuNanos, Map<Long, Long> allocatedByThread) {

		long allocatedSince(Snapshot start) {
			long sum = 0;
			for (Map.Entry<Long, Long> entry : this.allocatedByThread.entrySet()) {
				sum += entry.getValue() - start.allocatedByThread.getOrDefault(entry.getKey(), 0L);
			}
			return sum;
		}

	}

}
