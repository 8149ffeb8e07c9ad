package dev.kluster.boot.client;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;

/**
 * Splits a server-sent event stream, as it arrives in buffers, into the data of its
 * events, without turning anything into a {@code String}: each event's data is handed
 * on as bytes, for Jackson to read once.
 * <p>
 * Spring's {@code ServerSentEventHttpMessageReader} decodes every line into a
 * {@code String} and then the data once more into the target type; for a chat stream,
 * where each event is one small JSON chunk, that doubled the client's CPU per chunk.
 * This follows the rules of the SSE specification (lines end with LF, CRLF or a lone CR;
 * a byte order mark that starts the stream is skipped; {@code data} lines of one event are
 * joined with LF, an empty line ends an event, comments and other fields are skipped)
 * and, as Spring's reader, delivers an event cut off by the end of the stream and has a
 * size limit per event.
 * <p>
 * One instance per stream, fed from one thread at a time, as Reactive Streams signals
 * are.
 */
final class ServerSentEventSplitter {

	/** Receives the data of each event. */
	@FunctionalInterface
	interface DataHandler {

		/**
		 * One event's data, valid only during the call.
		 * @param data the bytes
		 * @param length how many of them belong to the data
		 */
		void onData(byte[] data, int length);

	}

	private static final byte LF = '\n';

	private static final byte CR = '\r';

	private final int maxEventSize;

	// The line being read, which may span buffers.
	private byte[] line = new byte[512];

	private int lineLength;

	// The data of the event being read, its lines joined with LF.
	private byte[] data = new byte[512];

	private int dataLength = -1;

	// A CR ended the last line: an LF right after it belongs to the same line ending,
	// possibly at the start of the next buffer.
	private boolean afterCr;

	// No line has been completed yet: the stream's first line may start with a BOM.
	private boolean firstLine = true;

	/**
	 * Create a splitter.
	 * @param maxEventSize most bytes one line or one event's data may hold
	 */
	ServerSentEventSplitter(int maxEventSize) {
		this.maxEventSize = maxEventSize;
	}

	/**
	 * Read a buffer, handing on the data of every event it completes. Does not release
	 * the buffer.
	 * @param buffer the next part of the stream
	 * @param handler receives each complete event's data
	 * @throws DataBufferLimitException if a line or an event is larger than the limit
	 */
	void feed(DataBuffer buffer, DataHandler handler) {
		try (DataBuffer.ByteBufferIterator buffers = buffer.readableByteBuffers()) {
			while (buffers.hasNext()) {
				feed(buffers.next(), handler);
			}
		}
	}

	/**
	 * The stream ended: hand on the event that no empty line closed, if any.
	 * @param handler receives that event's data
	 */
	void end(DataHandler handler) {
		if (this.lineLength > 0) {
			line(handler);
		}
		dispatch(handler);
	}

	private void feed(ByteBuffer bytes, DataHandler handler) {
		int index = bytes.position();
		int limit = bytes.limit();
		if (this.afterCr && index < limit) {
			this.afterCr = false;
			if (bytes.get(index) == LF) {
				index++;
			}
		}
		while (index < limit) {
			int newline = indexOfLineEnd(bytes, index, limit);
			int stop = (newline < 0) ? limit : newline;
			append(bytes, index, stop - index);
			if (newline < 0) {
				return;
			}
			line(handler);
			index = newline + 1;
			if (bytes.get(newline) == CR) {
				if (index == limit) {
					this.afterCr = true;
				}
				else if (bytes.get(index) == LF) {
					index++;
				}
			}
		}
	}

	private static int indexOfLineEnd(ByteBuffer bytes, int from, int limit) {
		for (int i = from; i < limit; i++) {
			byte next = bytes.get(i);
			if (next == LF || next == CR) {
				return i;
			}
		}
		return -1;
	}

	private void append(ByteBuffer bytes, int index, int length) {
		int needed = this.lineLength + length;
		if (needed > this.maxEventSize) {
			throw tooLarge();
		}
		if (needed > this.line.length) {
			this.line = Arrays.copyOf(this.line, Math.min(Math.max(this.line.length * 2, needed), this.maxEventSize));
		}
		bytes.get(index, this.line, this.lineLength, length);
		this.lineLength = needed;
	}

	// A complete line, without its line ending.
	private void line(DataHandler handler) {
		int length = this.lineLength;
		this.lineLength = 0;
		int from = 0;
		if (this.firstLine) {
			this.firstLine = false;
			if (length >= 3 && this.line[0] == (byte) 0xEF && this.line[1] == (byte) 0xBB && this.line[2] == (byte) 0xBF) {
				from = 3;
			}
		}
		if (length == from) {
			dispatch(handler);
			return;
		}
		if (length - from < 4 || this.line[from] != 'd' || this.line[from + 1] != 'a' || this.line[from + 2] != 't'
				|| this.line[from + 3] != 'a') {
			return;
		}
		int start;
		if (length - from == 4) {
			start = from + 4;
		}
		else if (this.line[from + 4] == ':') {
			start = (length > from + 5 && this.line[from + 5] == ' ') ? from + 6 : from + 5;
		}
		else {
			// A field whose name only begins with "data".
			return;
		}
		appendData(start, length - start);
	}

	private void appendData(int start, int length) {
		int separator = (this.dataLength < 0) ? 0 : 1;
		int current = Math.max(this.dataLength, 0);
		int needed = current + separator + length;
		if (needed > this.maxEventSize) {
			throw tooLarge();
		}
		if (needed > this.data.length) {
			this.data = Arrays.copyOf(this.data, Math.min(Math.max(this.data.length * 2, needed), this.maxEventSize));
		}
		if (separator == 1) {
			this.data[current] = LF;
		}
		System.arraycopy(this.line, start, this.data, current + separator, length);
		this.dataLength = needed;
	}

	private void dispatch(DataHandler handler) {
		int length = this.dataLength;
		if (length < 0) {
			return;
		}
		this.dataLength = -1;
		handler.onData(this.data, length);
	}

	private DataBufferLimitException tooLarge() {
		return new DataBufferLimitException("Exceeded limit on max bytes per event: " + this.maxEventSize);
	}

}
