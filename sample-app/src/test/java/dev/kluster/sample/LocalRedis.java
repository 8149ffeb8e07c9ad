package dev.kluster.sample;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import static org.awaitility.Awaitility.await;

/**
 * A {@code redis-server} of this test's own on a free loopback port, without
 * persistence, stopped by {@link #close()}. Tests that need one are skipped, with the
 * reason, where {@code redis-server} is not installed (Debian's package
 * {@code redis-server}, which {@code .ci/run} installs).
 */
final class LocalRedis implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private final Process process;

	private final int port;

	private LocalRedis(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	static LocalRedis start() {
		Path executable = find();
		Assumptions.assumeTrue(executable != null,
				"redis-server was not found on the PATH: install it (apt-get install redis-server) to run the tests "
						+ "of the sample's shared-limits profile");
		int port = freePort();
		try {
			Path log = Files.createTempFile("kluster-redis-", ".log");
			log.toFile().deleteOnExit();
			Process process = new ProcessBuilder(executable.toString(), "--port", Integer.toString(port), "--bind",
					"127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no")
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			LocalRedis redis = new LocalRedis(process, port);
			await().atMost(START_TIMEOUT).until(redis::accepts);
			return redis;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path find() {
		String path = System.getenv().getOrDefault("PATH", "");
		return Stream.concat(Stream.of(path.split(File.pathSeparator)), List.of("/usr/bin", "/usr/sbin").stream())
			.filter((dir) -> !dir.isEmpty())
			.map((dir) -> Path.of(dir, "redis-server"))
			.filter(Files::isExecutable)
			.findFirst()
			.orElse(null);
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private boolean accepts() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	int port() {
		return this.port;
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
