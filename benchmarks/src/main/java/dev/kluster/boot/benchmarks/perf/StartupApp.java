package dev.kluster.boot.benchmarks.perf;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.stream.Collectors;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline.TimelineEvent;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A minimal Boot application on the starter's classpath, started once per JVM: with
 * the kluster.ai auto-configurations ({@code with}), with them but without the warm-up
 * ({@code with-cold}), or with them excluded ({@code without}). Prints the time {@code run} took and the JVM's uptime when it
 * returned.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class StartupApp {

	// Every auto-configuration of the starter's modules on the classpath, read from their
	// AutoConfiguration.imports as Boot reads them, so that "without" leaves out all of
	// them, also those added later.
	static final String EXCLUDED = ImportCandidates.load(AutoConfiguration.class, StartupApp.class.getClassLoader())
		.getCandidates()
		.stream()
		.filter((candidate) -> candidate.startsWith("dev.kluster.boot."))
		.collect(Collectors.joining(","));

	public static void main(String[] args) {
		boolean with = "with".equals(args[0]) || "with-cold".equals(args[0]);
		long start = System.nanoTime();
		SpringApplicationBuilder builder = new SpringApplicationBuilder(StartupApp.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties("spring.main.banner-mode=off", "kluster.api-key=bench",
					"kluster.base-url=http://127.0.0.1:9/v1");
		if (!with) {
			builder.properties("spring.autoconfigure.exclude=" + EXCLUDED);
		}
		if ("with-cold".equals(args[0])) {
			// An experiment: the auto-configuration without the warm-up, to tell whether the
			// warm-up, which starts on ApplicationReadyEvent inside run, adds to it.
			builder.properties("kluster.warm-up.enabled=false");
		}
		if ("webclient-only".equals(args[0])) {
			// An experiment: no kluster beans, but one WebClient built from Boot's builder, as
			// the auto-configuration does, to tell its own cost from Reactor Netty's start.
			builder.sources(WebClientOnlyConfiguration.class);
		}
		// -Dbench.steps=true records Spring's start-up steps and prints them to the error
		// stream (one "STEP" line each), for the profile of where the time goes.
		BufferingApplicationStartup steps = Boolean.getBoolean("bench.steps") ? new BufferingApplicationStartup(100_000)
				: null;
		if (steps != null) {
			builder.applicationStartup(steps);
		}
		try (ConfigurableApplicationContext context = builder.run()) {
			long took = System.nanoTime() - start;
			int beans = context.getBeanDefinitionCount();
			// The CPU time of the thread that ran it tells the cost apart from waiting for a
			// core on a busy machine, which the wall-clock time includes.
			System.out.println(String.format(Locale.ROOT, "RESULT run=%.1f uptime=%d beans=%d classes=%d mainCpu=%.1f",
					took / 1e6, ManagementFactory.getRuntimeMXBean().getUptime(), beans,
					ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount(),
					ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e6));
			if (steps != null) {
				printSteps(steps);
			}
		}
	}

	private static void printSteps(BufferingApplicationStartup steps) {
		for (TimelineEvent event : steps.getBufferedTimeline().getEvents()) {
			StringBuilder line = new StringBuilder("STEP ").append(event.getDuration().toNanos() / 1000)
				.append("us start=")
				.append(event.getStartTime().toEpochMilli())
				.append(' ')
				.append(event.getStartupStep().getName());
			event.getStartupStep().getTags().forEach((tag) -> line.append(' ').append(tag.getKey()).append('=')
				.append(tag.getValue()));
			System.err.println(line);
		}
	}

}
