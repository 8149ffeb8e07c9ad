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

/**
 * A server on a plain socket that answers every request with the same bytes, for
 * answers no HTTP server library would send: headers too long, bytes that are not HTTP,
 * broken chunked framing. It reads each request whole before answering, then closes the
 * connection; or, {@link #keepingAlive keeping it alive}, answers every request that
 * comes on it.
 */
final class RawServer implements AutoCloseable {

	private final ServerSocket socket;

	private final byte[][] answer;

	private final Duration pause;

	private final boolean keepAlive;

	private final AtomicInteger connections = new AtomicInteger();

	private final AtomicInteger requests = new AtomicInteger();

	private final List<Socket> accepted = new CopyOnWriteArrayList<>();

	private RawServer(boolean keepAlive, Duration pause, byte[]... answer) throws IOException {
		this.answer = answer;
		this.pause = pause;
		this.keepAlive = keepAlive;
		this.socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
		Thread acceptor = new Thread(this::acceptAll, "raw-server");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	static RawServer answering(String answer) throws IOException {
		return new RawServer(false, Duration.ZERO, answer.getBytes(StandardCharsets.ISO_8859_1));
	}

	static RawServer answering(byte[] answer) throws IOException {
		return new RawServer(false, Duration.ZERO, answer);
	}

	/**
	 * A server that answers each request on a connection and keeps the connection open
	 * for the next one, as a server that allows reuse does.
	 * @param answer the whole answer, which must say where it ends
	 * @return the started server
	 * @throws IOException if no port could be opened
	 */
	static RawServer keepingAlive(byte[] answer) throws IOException {
		return new RawServer(true, Duration.ZERO, answer);
	}

	/**
	 * A server that keeps connections alive and writes each answer in parts, with a pause
	 * after each part but the last, as a server that writes a body as it makes it does.
	 * @param pause the pause between two parts
	 * @param parts the parts of the whole answer
	 * @return the started server
	 * @throws IOException if no port could be opened
	 */
	static RawServer keepingAlive(Duration pause, byte[]... parts) throws IOException {
		return new RawServer(true, pause, parts);
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.socket.getLocalPort() + "/v1";
	}

	int connections() {
		return this.connections.get();
	}

	int requests() {
		return this.requests.get();
	}

	private void acceptAll() {
		while (!this.socket.isClosed()) {
			try {
				Socket connection = this.socket.accept();
				this.connections.incrementAndGet();
				this.accepted.add(connection);
				Thread handler = new Thread(() -> answer(connection), "raw-server-connection");
				handler.setDaemon(true);
				handler.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void answer(Socket connection) {
		try (connection; InputStream in = connection.getInputStream(); OutputStream out = connection.getOutputStream()) {
			if (this.keepAlive) {
				while (readRequest(in)) {
					this.requests.incrementAndGet();
					write(out);
				}
				return;
			}
			if (readRequest(in)) {
				this.requests.incrementAndGet();
			}
			write(out);
			connection.shutdownOutput();
			// Let the client read to the end before the socket goes.
			while (in.read() != -1) {
				// The client closes when it has read what it wanted.
			}
		}
		catch (IOException ex) {
			// The client went away: nothing left to answer.
		}
	}

	private void write(OutputStream out) throws IOException {
		for (int i = 0; i < this.answer.length; i++) {
			if (i > 0) {
				pause();
			}
			out.write(this.answer[i]);
			out.flush();
		}
	}

	// The server's own pace, part of the answer it plays: not a wait of the test's.
	private void pause() throws IOException {
		try {
			Thread.sleep(this.pause.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted", ex);
		}
	}

	// Reads the headers and the body of one request; false at the end of the connection.
	private static boolean readRequest(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		byte[] end = { '\r', '\n', '\r', '\n' };
		while (matched < 4) {
			int next = in.read();
			if (next == -1) {
				return false;
			}
			head.write(next);
			matched = (next == end[matched]) ? matched + 1 : ((next == '\r') ? 1 : 0);
		}
		int length = 0;
		for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
			if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
				length = Integer.parseInt(line.substring("content-length:".length()).strip());
			}
		}
		return in.readNBytes(length).length == length;
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
		for (Socket connection : this.accepted) {
			connection.close();
		}
	}

}
