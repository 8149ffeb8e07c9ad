package dev.kluster.boot.benchmarks.perf;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
		return List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server")
			.stream()
			.filter((path) -> new File(path).canExecute())
			.findFirst();
	}

	static RedisServer start(Path dir) throws IOException, InterruptedException {
		Files.createDirectories(dir);
		String binary = binary().orElseThrow(() -> new IllegalStateException("redis-server is not installed"));
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		Process process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no", "--dir", dir.toAbsolutePath().toString())
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("redis.out").toFile())
			.start();
		for (int i = 0; i < 100; i++) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return new RedisServer(process, port);
			}
			catch (IOException ex) {
				if (!process.isAlive()) {
					throw new IllegalStateException("redis-server exited: see " + dir.resolve("redis.out"));
				}
				Thread.sleep(50);
			}
		}
		process.destroy();
		throw new IllegalStateException("redis-server did not listen on " + port);
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
