package dev.kluster.boot.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests of {@link ServerSentEventSplitter}: the event data it finds, however the stream
 * is cut into buffers, one event at a time, and the buffers it releases.
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

	@Test
	void findsEventsLargerThanItsWindowWhereverTheStreamIsCut() {
		String large = "{\"text\":\"" + "x".repeat(5000) + "\"}";
		String stream = "data: {\"a\":1}\n\n" + "data: " + large + "\n\n" + ": " + "c".repeat(3000) + "\n"
				+ "data: " + large + "\n" + ": between\n" + "data: two\n\n";
		for (int cut = 1; cut < stream.length(); cut += 97) {
			assertThat(split(16384, stream.substring(0, cut), stream.substring(cut))).as("cut at %d", cut)
				.containsExactly("{\"a\":1}", large, large + "\ntwo");
		}
	}

	@Test
	void findsLineEndsAtEveryPositionOfTheBytesItSearches() {
		for (int length = 0; length < 40; length++) {
			String data = "é".repeat(length / 2) + "x".repeat(length % 2);
			for (String end : List.of("\n", "\r", "\r\n")) {
				assertThat(split(1024, "data:" + data + end + end + "data: next" + end + end))
					.as("%d bytes of data, %s", length, end.replace("\r", "CR").replace("\n", "LF"))
					.containsExactly(data, "next");
			}
		}
	}

	@Test
	void readsAnEventOnlyWhenAskedForTheNext() {
		ServerSentEventSplitter splitter = new ServerSentEventSplitter(1024);
		splitter.feed(buffer("data: one\n\ndata: two\n\ndata: thr"));
		assertThat(splitter.next()).isTrue();
		assertThat(string(splitter)).isEqualTo("one");
		assertThat(splitter.next()).isTrue();
		assertThat(string(splitter)).isEqualTo("two");
		assertThat(splitter.next()).isFalse();
		splitter.feed(buffer("ee\n\n"));
		assertThat(splitter.next()).isTrue();
		assertThat(string(splitter)).isEqualTo("three");
		assertThat(splitter.next()).isFalse();
		assertThat(splitter.end()).isFalse();
	}

	@Test
	void releasesEachBufferOnceItIsReadThroughOrWhenToldTo() {
		NettyDataBufferFactory factory = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);
		ServerSentEventSplitter splitter = new ServerSentEventSplitter(8192);
		String event = "data: " + "x".repeat(1500) + "\n\n";
		NettyDataBuffer buffer = factory.wrap(Unpooled.copiedBuffer(event + event + event, StandardCharsets.UTF_8));
		splitter.feed(buffer);
		assertThat(splitter.next()).isTrue();
		assertThat(buffer.getNativeBuffer().refCnt()).isOne();
		assertThat(splitter.next()).isTrue();
		assertThat(splitter.next()).isTrue();
		assertThat(buffer.getNativeBuffer().refCnt()).isZero();
		assertThat(splitter.next()).isFalse();
		NettyDataBuffer unread = factory.wrap(Unpooled.copiedBuffer(event + event, StandardCharsets.UTF_8));
		splitter.feed(unread);
		assertThat(splitter.next()).isTrue();
		splitter.release();
		assertThat(unread.getNativeBuffer().refCnt()).isZero();
	}

	private static List<String> split(int limit, String... parts) {
		ServerSentEventSplitter splitter = new ServerSentEventSplitter(limit);
		List<String> events = new ArrayList<>();
		for (String part : parts) {
			splitter.feed(buffer(part));
			while (splitter.next()) {
				events.add(string(splitter));
			}
		}
		if (splitter.end()) {
			events.add(string(splitter));
		}
		return events;
	}

	private static DataBuffer buffer(String part) {
		byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
		DataBuffer buffer = DefaultDataBufferFactory.sharedInstance.allocateBuffer(bytes.length + 8);
		// Some bytes before the readable part, as pooled buffers have.
		buffer.write(new byte[] { 'd', 'a', 't', 'a', ':', ' ', 'z', '\n' });
		buffer.readPosition(8);
		buffer.write(bytes);
		return buffer;
	}

	private static String string(ServerSentEventSplitter splitter) {
		return new String(splitter.data(), splitter.offset(), splitter.length(), StandardCharsets.UTF_8);
	}

}
