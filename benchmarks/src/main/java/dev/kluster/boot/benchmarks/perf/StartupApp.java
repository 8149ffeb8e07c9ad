package dev.kluster.boot.benchmarks.perf;

import java.lang.management.ManagementFactory;
import java.util.Locale;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
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

	static final String EXCLUDED = "dev.kluster.boot.autoconfigure.KlusterAutoConfiguration,"
			+ "dev.kluster.boot.autoconfigure.KlusterObservationAutoConfiguration,"
			+ "dev.kluster.boot.autoconfigure.KlusterHealthContributorAutoConfiguration";

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
		try (ConfigurableApplicationContext context = builder.run()) {
			long took = System.nanoTime() - start;
			int beans = context.getBeanDefinitionCount();
			System.out.println(String.format(Locale.ROOT, "RESULT run=%.1f uptime=%d beans=%d", took / 1e6,
					ManagementFactory.getRuntimeMXBean().getUptime(), beans));
		}
	}

}
