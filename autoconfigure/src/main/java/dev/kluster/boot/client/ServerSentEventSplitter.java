package dev.kluster.boot.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Splits a server-sent event stream, as it arrives in buffers, into the data of its
 * events, one event at a time and only when asked for the next, without turning anything
 * into a {@code String}: each event's data is handed on as bytes, for Jackson to read
 * once.
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
 * The bytes of a buffer are copied, a window at a time, into an array of the splitter's
 * own that is searched for line ends; an event whose data is one line (as every chat
 * chunk is) is handed on where it lies in that array, and only the data of an event of
 * several lines (or that a window cuts) is joined in a second array. The window grows
 * only for a line longer than it, from 2 KB up, so that a stream costs a small array
 * whatever its buffers are like.
 * <p>
 * One instance per stream, used by one thread at a time.
 */
final class ServerSentEventSplitter {

	private static final byte LF = '\n';

	private static final byte CR = '\r';

	private static final int INITIAL_WINDOW = 2048;

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private static final long ONES = 0x0101010101010101L;

	private static final long HIGH_BITS = 0x8080808080808080L;

	private static final long LFS = ONES * LF;

	private static final long CRS = ONES * CR;

	private final int maxEventSize;

	// The buffer fed last, until its bytes have all been copied into the window.
	private @Nullable DataBuffer buffer;

	private byte[] window = new byte[INITIAL_WINDOW];

	// The next byte to read: the start of the line being read.
	private int position;

	// The end of the bytes in the window.
	private int limit;

	// The data of the event being read: where it starts in the window, or in joined once
	// a second data line came; -1 when the event has no data line yet.
	private int dataStart;

	private int dataLength = -1;

	private boolean dataJoined;

	private byte @Nullable [] joined;

	// A CR ended the last line: an LF right after it belongs to the same line ending,
	// possibly in the next buffer.
	private boolean afterCr;

	// No line has been completed yet: the stream's first line may start with a BOM.
	private boolean firstLine = true;

	// The event found last, valid until the next call.
	private byte[] eventData = this.window;

	private int eventOffset;

	private int eventLength;

	/**
	 * Create a splitter.
	 * @param maxEventSize most bytes one line or one event's data may hold
	 */
	ServerSentEventSplitter(int maxEventSize) {
		this.maxEventSize = maxEventSize;
	}

	/**
	 * Hand over the next part of the stream, once {@link #next()} has asked for it.
	 * @param buffer the bytes, released once read, or by {@link #release()}
	 */
	void feed(DataBuffer buffer) {
		if (this.buffer != null) {
			DataBufferUtils.release(buffer);
			throw new IllegalStateException("The buffer fed before has not been read");
		}
		this.buffer = buffer;
	}

	/**
	 * Find the next event in what was fed.
	 * @return {@code true} when an event was found ({@link #data()}, {@link #offset()} and
	 * {@link #length()} tell where its data is), {@code false} when all that was fed is
	 * read and more is needed
	 * @throws DataBufferLimitException if a line or an event is larger than the limit
	 */
	boolean next() {
		for (;;) {
			int end = indexOfLineEnd(this.window, this.position, this.limit);
			if (end < 0) {
				if (!refill()) {
					return false;
				}
				continue;
			}
			int start = this.position;
			if (end - start > this.maxEventSize) {
				throw tooLarge();
			}
			this.position = end + 1;
			if (this.window[end] == CR) {
				if (this.position == this.limit) {
					this.afterCr = true;
				}
				else if (this.window[this.position] == LF) {
					this.position++;
				}
			}
			if (line(start, end)) {
				return true;
			}
		}
	}

	/**
	 * The stream ended, after {@link #next()} asked for more: find the event that no empty
	 * line closed, if any.
	 * @return {@code true} when there is one
	 */
	boolean end() {
		if (this.position < this.limit) {
			int start = this.position;
			this.position = this.limit;
			line(start, this.limit);
		}
		return dispatch();
	}

	/** Release the buffer fed last, if it was not read through. */
	void release() {
		DataBuffer buffer = this.buffer;
		if (buffer != null) {
			this.buffer = null;
			DataBufferUtils.release(buffer);
		}
	}

	/**
	 * The bytes that hold the data of the event found last.
	 * @return the bytes
	 */
	byte[] data() {
		return this.eventData;
	}

	/**
	 * Where the data of the event found last starts in {@link #data()}.
	 * @return the offset
	 */
	int offset() {
		return this.eventOffset;
	}

	/**
	 * How many bytes the data of the event found last has.
	 * @return the length
	 */
	int length() {
		return this.eventLength;
	}

	// Eight bytes at a time, as Netty's ByteBufUtil.indexOf does: a chunk's JSON holds no
	// line end, and a byte-by-byte search was the most of what splitting cost.
	private static int indexOfLineEnd(byte[] bytes, int from, int to) {
		int i = from;
		for (; i <= to - Long.BYTES; i += Long.BYTES) {
			long word = (long) LONGS.get(bytes, i);
			long found = zeroBytes(word ^ LFS) | zeroBytes(word ^ CRS);
			if (found != 0) {
				return i + (Long.numberOfTrailingZeros(found) >>> 3);
			}
		}
		for (; i < to; i++) {
			byte next = bytes[i];
			if (next == LF || next == CR) {
				return i;
			}
		}
		return -1;
	}

	// The high bit of each byte that is zero; of the bytes above the lowest zero byte, some
	// may be marked too, which the search, that takes the lowest, does not mind.
	private static long zeroBytes(long word) {
		return (word - ONES) & ~word & HIGH_BITS;
	}

	// Move the line being read to the start of the window (the data of the event being
	// read, when it lies in the window, to the joined data) and fill the rest from the
	// buffer fed last.
	private boolean refill() {
		DataBuffer buffer = this.buffer;
		if (buffer == null) {
			return false;
		}
		int pending = this.limit - this.position;
		if (pending > this.maxEventSize) {
			throw tooLarge();
		}
		if (this.dataLength >= 0 && !this.dataJoined) {
			join(0);
		}
		if (this.position > 0) {
			System.arraycopy(this.window, this.position, this.window, 0, pending);
			this.position = 0;
			this.limit = pending;
		}
		if (this.limit == this.window.length) {
			this.window = Arrays.copyOf(this.window, Math.min(2 * this.window.length, this.maxEventSize + 1));
		}
		int count = Math.min(buffer.readableByteCount(), this.window.length - this.limit);
		buffer.read(this.window, this.limit, count);
		this.limit += count;
		if (buffer.readableByteCount() == 0) {
			this.buffer = null;
			DataBufferUtils.release(buffer);
		}
		if (this.afterCr && this.position < this.limit) {
			this.afterCr = false;
			if (this.window[this.position] == LF) {
				this.position++;
			}
		}
		return true;
	}

	// A complete line, without its line ending: true when it ended an event with data.
	private boolean line(int start, int end) {
		byte[] line = this.window;
		int from = start;
		if (this.firstLine) {
			this.firstLine = false;
			if (end - from >= 3 && line[from] == (byte) 0xEF && line[from + 1] == (byte) 0xBB
					&& line[from + 2] == (byte) 0xBF) {
				from += 3;
			}
		}
		int length = end - from;
		if (length == 0) {
			return dispatch();
		}
		if (length < 4 || line[from] != 'd' || line[from + 1] != 'a' || line[from + 2] != 't' || line[from + 3] != 'a') {
			return false;
		}
		int data;
		if (length == 4) {
			data = end;
		}
		else if (line[from + 4] == ':') {
			data = (length > 5 && line[from + 5] == ' ') ? from + 6 : from + 5;
		}
		else {
			// A field whose name only begins with "data".
			return false;
		}
		appendData(data, end - data);
		return false;
	}

	private void appendData(int start, int length) {
		if (this.dataLength < 0) {
			// The first data line of the event: its data stays where it is.
			this.dataStart = start;
			this.dataLength = length;
			return;
		}
		int needed = this.dataLength + 1 + length;
		if (needed > this.maxEventSize) {
			throw tooLarge();
		}
		byte[] joined = join(needed);
		joined[this.dataLength] = LF;
		System.arraycopy(this.window, start, joined, this.dataLength + 1, length);
		this.dataLength = needed;
	}

	// The event's data so far in the joined array, which has room for the given length.
	private byte[] join(int room) {
		byte[] joined = this.joined;
		if (joined == null || room > joined.length || this.dataLength > joined.length) {
			int size = Math.max(Math.max(room, this.dataLength), 2 * ((joined != null) ? joined.length : 256));
			byte[] larger = new byte[Math.min(size, this.maxEventSize)];
			if (this.dataJoined && joined != null) {
				System.arraycopy(joined, 0, larger, 0, this.dataLength);
			}
			joined = larger;
			this.joined = joined;
		}
		if (!this.dataJoined) {
			System.arraycopy(this.window, this.dataStart, joined, 0, this.dataLength);
			this.dataJoined = true;
		}
		return joined;
	}

	private boolean dispatch() {
		int length = this.dataLength;
		if (length < 0) {
			return false;
		}
		if (this.dataJoined) {
			this.eventData = this.joined;
			this.eventOffset = 0;
		}
		else {
			this.eventData = this.window;
			this.eventOffset = this.dataStart;
		}
		this.eventLength = length;
		this.dataLength = -1;
		this.dataJoined = false;
		return true;
	}

	private DataBufferLimitException tooLarge() {
		return new DataBufferLimitException("Exceeded limit on max bytes per event: " + this.maxEventSize);
	}

}
