package dev.kluster.boot.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests of {@link ServerSentEventSplitter}: the event data it finds, however the stream
 * is cut into buffers.
 */
class ServerSentEventSplitterTests {

	private static final String STREAM = ": keep-alive\n" + "data: {\"a\":1}\n\n" + "event: message\r\n"
			+ "id: 7\r\n" + "data:{\"b\":2}\r\n\r\n" + "data: first\n" + "data: second\n\n" + "retry: 100\n\n"
			+ "data\n\n" + "dataX: not data\n\n" + "data: [DONE]\n\n";

	private static final List<String> EVENTS = List.of("{\"a\":1}", "{\"b\":2}", "first\nsecond", "", "[DONE]");

	@Test
	void findsTheDataOfEachEventInOneBuffer() {
		assertThat(split(1024, STREAM)).isEqualTo(EVENTS);
	}

	@Test
	void findsTheSameDataWhereverTheStreamIsCut() {
		for (int cut = 1; cut < STREAM.length(); cut++) {
			assertThat(split(1024, STREAM.substring(0, cut), STREAM.substring(cut))).as("cut at %d", cut)
				.isEqualTo(EVENTS);
		}
	}

	@Test
	void findsTheSameDataInBuffersOfOneByte() {
		String[] bytes = STREAM.chars().mapToObj((c) -> String.valueOf((char) c)).toArray(String[]::new);
		assertThat(split(1024, bytes)).isEqualTo(EVENTS);
	}

	@Test
	void deliversAnEventThatTheStreamCutsOffAtItsEnd() {
		assertThat(split(1024, "data: one\n\ndata: two\n")).containsExactly("one", "two");
		assertThat(split(1024, "data: one\n\ndata: two")).containsExactly("one", "two");
	}

	@Test
	void keepsTheBytesOfMultiByteCharacters() {
		assertThat(split(1024, "data: {\"text\":\"Grüße 👋\"}\n\n")).containsExactly("{\"text\":\"Grüße 👋\"}");
	}

	@Test
	void endsLinesAtALoneCarriageReturnTooWhereverTheStreamIsCut() {
		String stream = "data: one\r\rdata: two\r\n\r\ndata: three\r\r\ndata: four\r\r";
		for (int cut = 0; cut <= stream.length(); cut++) {
			assertThat(split(1024, stream.substring(0, cut), stream.substring(cut))).as("cut at %d", cut)
				.containsExactly("one", "two", "three", "four");
		}
	}

	@Test
	void skipsAByteOrderMarkThatStartsTheStreamOnly() {
		assertThat(split(1024, "\uFEFFdata: one\n\n")).containsExactly("one");
		assertThat(split(1024, "\uFEFF", "data: one\n\n")).containsExactly("one");
		assertThat(split(1024, "data: one\n\n\uFEFFdata: two\n\n")).containsExactly("one");
	}

	@Test
	void refusesAnEventLargerThanTheLimit() {
		String big = "x".repeat(100);
		assertThat(split(100, "data: " + "x".repeat(90) + "\n\n")).hasSize(1);
		assertThatExceptionOfType(DataBufferLimitException.class)
			.isThrownBy(() -> split(100, "data: " + big.substring(0, 60) + "\n", "data: " + big.substring(0, 60) + "\n\n"))
			.withMessageContaining("100");
		assertThatExceptionOfType(DataBufferLimitException.class).isThrownBy(() -> split(100, "data: " + big + "\n\n"));
	}

	private static List<String> split(int limit, String... parts) {
		ServerSentEventSplitter splitter = new ServerSentEventSplitter(limit);
		List<String> events = new ArrayList<>();
		ServerSentEventSplitter.DataHandler handler = (data, length) -> events
			.add(new String(data, 0, length, StandardCharsets.UTF_8));
		byte[] all = String.join("", parts).getBytes(StandardCharsets.UTF_8);
		int offset = 0;
		for (String part : parts) {
			int length = part.getBytes(StandardCharsets.UTF_8).length;
			DataBuffer buffer = DefaultDataBufferFactory.sharedInstance.allocateBuffer(length + 8);
			// Some bytes before the readable part, as pooled buffers have.
			buffer.write(new byte[] { 'd', 'a', 't', 'a', ':', ' ', 'z', '\n' });
			buffer.readPosition(8);
			buffer.write(all, offset, length);
			offset += length;
			splitter.feed(buffer, handler);
		}
		splitter.end(handler);
		return events;
	}

}
