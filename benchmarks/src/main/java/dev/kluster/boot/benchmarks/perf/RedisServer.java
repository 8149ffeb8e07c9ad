package dev.kluster.boot.benchmarks.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The Redis of the {@code kluster-paced-redis} client: Debian's {@code redis-server}, in a
 * process of its own, on a free loopback port, keeping nothing on disk.
 */
final class RedisServer implements AutoCloseable {

	private final Process redis;

	final int port;

	private RedisServer(Process redis, int port) {
		this.redis = redis;
		this.port = port;
	}

	/**
	 * The {@code redis-server} binary, if installed.
	 * @return its path
	 */
	static Optional<String> binary() {
		return ServerProcess.binary(
				List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server"));
	}

	static RedisServer start(Path dir) throws IOException, InterruptedException {
		Files.createDirectories(dir);
		String binary = binary().orElseThrow(() -> new IllegalStateException("redis-server is not installed"));
		int port = ServerProcess.freePort();
		Process process = ServerProcess.start(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no", "--dir", dir.toAbsolutePath().toString()), port,
				dir.resolve("redis.out"), "redis-server");
		return new RedisServer(process, port);
	}

	long pid() {
		return this.redis.pid();
	}

	@Override
	public void close() throws InterruptedException {
		this.redis.destroy();
		this.redis.waitFor();
	}

}
