package dev.kluster.boot.resilience;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * A loopback server on a plain socket, for answers no HTTP server library would send:
 * headers too long, bytes that are not HTTP, broken chunked framing, stalls, floods. Per
 * connection it reads the request whole (unless told not to), runs its script, then
 * closes the connection; or, {@link #keepingAlive keeping it alive}, runs the script for
 * every request that comes on it.
 */
final class RawServer implements AutoCloseable {

	/** What the server does on one connection once the request is read. */
	@FunctionalInterface
	interface Script {

		void run(InputStream in, OutputStream out, int connection) throws Exception;

	}

	// Enough for any test; a client that loops on redirects cannot make it open more.
	private static final int MAX_CONNECTIONS = 500;

	private final ServerSocket socket;

	private final Script script;

	private final boolean readRequest;

	private final boolean keepAlive;

	private final AtomicInteger connections = new AtomicInteger();

	private final List<Socket> accepted = new CopyOnWriteArrayList<>();

	private final List<String> requests = new CopyOnWriteArrayList<>();

	private RawServer(boolean readRequest, boolean keepAlive, Script script) throws IOException {
		this.readRequest = readRequest;
		this.keepAlive = keepAlive;
		this.script = script;
		this.socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
		Thread acceptor = new Thread(this::acceptAll, "raw-server");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	static RawServer answering(String answer) throws IOException {
		return answering(answer.getBytes(StandardCharsets.UTF_8));
	}

	static RawServer answering(byte[] answer) throws IOException {
		return scripted((in, out, connection) -> out.write(answer));
	}

	static RawServer scripted(Script script) throws IOException {
		return new RawServer(true, false, script);
	}

	static RawServer scripted(boolean readRequest, Script script) throws IOException {
		return new RawServer(readRequest, false, script);
	}

	/**
	 * A server that answers each request on a connection and keeps the connection open
	 * for the next one, as a server that allows reuse does. The answer is written in
	 * parts, with a pause after each part but the last, as a server that writes a body
	 * as it makes it does.
	 * @param pause the pause between two parts
	 * @param parts the parts of the whole answer, which must say where it ends
	 * @return the started server
	 * @throws IOException if no port could be opened
	 */
	static RawServer keepingAlive(Duration pause, byte[]... parts) throws IOException {
		return new RawServer(true, true, (in, out, connection) -> {
			for (int i = 0; i < parts.length; i++) {
				if (i > 0) {
					idle(pause.toMillis());
				}
				out.write(parts[i]);
				out.flush();
			}
		});
	}

	// The server's own pace, part of the answer it plays: not a wait of the test's.
	static void idle(long millis) throws InterruptedException {
		Thread.sleep(millis);
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.socket.getLocalPort() + "/v1";
	}

	int connections() {
		return this.connections.get();
	}

	List<String> requests() {
		return this.requests;
	}

	private void acceptAll() {
		while (!this.socket.isClosed() && this.connections.get() < MAX_CONNECTIONS) {
			try {
				Socket connection = this.socket.accept();
				int n = this.connections.incrementAndGet();
				this.accepted.add(connection);
				Thread handler = new Thread(() -> serve(connection, n), "raw-server-connection-" + n);
				handler.setDaemon(true);
				handler.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Socket connection, int n) {
		try (connection; InputStream in = connection.getInputStream(); OutputStream out = connection.getOutputStream()) {
			if (this.keepAlive) {
				for (String request = readRequest(in); request != null; request = readRequest(in)) {
					this.requests.add(request);
					this.script.run(in, out, n);
					out.flush();
				}
				return;
			}
			if (this.readRequest) {
				String request = readRequest(in);
				if (request != null) {
					this.requests.add(request);
				}
			}
			this.script.run(in, out, n);
			out.flush();
			connection.shutdownOutput();
			// Let the client read to the end before the socket goes.
			connection.setSoTimeout(5000);
			while (in.read() != -1) {
				// The client closes when it has read what it wanted.
			}
		}
		catch (Exception ex) {
			// The client went away: nothing left to answer.
		}
	}

	// Reads the headers and the body of one request; null at the end of the connection.
	private static @Nullable String readRequest(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		byte[] end = { '\r', '\n', '\r', '\n' };
		while (matched < 4) {
			int next = in.read();
			if (next == -1) {
				return (head.size() > 0) ? head.toString(StandardCharsets.ISO_8859_1) : null;
			}
			head.write(next);
			matched = (next == end[matched]) ? matched + 1 : ((next == '\r') ? 1 : 0);
		}
		String text = head.toString(StandardCharsets.ISO_8859_1);
		int length = 0;
		for (String line : text.split("\r\n")) {
			if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
				length = Integer.parseInt(line.substring("content-length:".length()).strip());
			}
		}
		in.readNBytes(length);
		return text;
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
		for (Socket connection : this.accepted) {
			connection.close();
		}
	}

}
