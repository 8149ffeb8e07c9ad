package dev.kluster.boot.benchmarks.perf;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the benchmark's own servers (the nginx stub, Redis) have in common: an installed
 * binary found among the usual paths, a free loopback port, and a process that is only
 * used once it listens on it.
 */
final class ServerProcess {

	private ServerProcess() {
	}

	static Optional<String> binary(List<String> paths) {
		return paths.stream().filter((path) -> new File(path).canExecute()).findFirst();
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Start a server and wait until it listens on the port.
	 * @param command the command that starts it
	 * @param port the loopback port it listens on
	 * @param output where its output goes, in the folder of its logs, which a failure names
	 * @param name its name, for the failures
	 * @return the running process
	 * @throws IllegalStateException if it exits, or does not listen within about 30 s
	 */
	static Process start(List<String> command, int port, Path output, String name)
			throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		for (int i = 0; i < 100; i++) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return process;
			}
			catch (IOException ex) {
				if (!process.isAlive()) {
					throw new IllegalStateException(name + " exited: see " + output.getParent());
				}
				Thread.sleep(50);
			}
		}
		process.destroy();
		throw new IllegalStateException(name + " did not listen on " + port);
	}

}
