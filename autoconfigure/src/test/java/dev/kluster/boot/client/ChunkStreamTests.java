package dev.kluster.boot.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;

import dev.kluster.boot.error.KlusterInvalidResponseException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link ChunkStream}: events read one at a time as the subscriber asks for them,
 * the end of the answer at {@code data: [DONE]} and the grace time after it, failures
 * after the chunks before them, and every buffer released, whatever ends the stream.
 */
class ChunkStreamTests {

	private static final Duration HOUR = Duration.ofHours(1);

	private static final Duration GRACE = Duration.ofSeconds(1);

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final Sinks.Many<DataBuffer> body = Sinks.many().unicast().onBackpressureBuffer();

	private final AtomicBoolean bodyCancelled = new AtomicBoolean();

	private final NettyDataBufferFactory buffers = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);

	private final List<NettyDataBuffer> sent = new ArrayList<>();

	private final AtomicInteger reads = new AtomicInteger();

	private Flux<String> chunks() {
		return chunks(this.body.asFlux().doOnCancel(() -> this.bodyCancelled.set(true)));
	}

	// As the client reads an attempt: the end of the answer ends the body too.
	private Flux<String> chunks(Flux<DataBuffer> body) {
		StreamTimeouts limits = new StreamTimeouts(HOUR, HOUR, this.time, () -> this.time.now(TimeUnit.NANOSECONDS));
		CompleteAtEnd end = new CompleteAtEnd(GRACE, limits);
		return new ChunkStream<>(end.watch(body), this::read, 1024, limits, end::end, new ChunkStream.Progress());
	}

	private String read(byte[] data, int offset, int length) {
		this.reads.incrementAndGet();
		String text = new String(data, offset, length, StandardCharsets.UTF_8);
		if (text.startsWith("{bad")) {
			throw new KlusterInvalidResponseException("not a chunk: " + text, null);
		}
		return text;
	}

	private void send(String text) {
		this.body.tryEmitNext(buffer(text));
	}

	private NettyDataBuffer buffer(String text) {
		NettyDataBuffer buffer = this.buffers.wrap(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
		this.sent.add(buffer);
		return buffer;
	}

	private static String events(String... data) {
		StringBuilder events = new StringBuilder();
		for (String item : data) {
			events.append("data: ").append(item).append("\n\n");
		}
		return events.toString();
	}

	private void assertAllReleased() {
		assertThat(this.sent).allSatisfy((buffer) -> assertThat(buffer.getNativeBuffer().refCnt()).isZero());
	}

	@Test
	void readsEachEventOfABufferOnlyWhenTheSubscriberAsksForIt() {
		StepVerifier.create(chunks(), 1)
			.then(() -> send(events("a", "b", "c", "d", "[DONE]")))
			.assertNext((chunk) -> assertThat(this.reads).hasValue(1))
			.thenRequest(1)
			.assertNext((chunk) -> assertThat(this.reads).hasValue(2))
			.thenRequest(Long.MAX_VALUE)
			.expectNext("c", "d")
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		assertThat(this.reads).hasValue(4);
	}

	@Test
	void chunkThatCannotBeReadFailsTheStreamAfterTheChunksBeforeItAndEndsTheBody() {
		StepVerifier.create(chunks())
			.then(() -> send(events("a", "b", "{bad", "c", "[DONE]")))
			.expectNext("a", "b")
			.expectErrorMessage("not a chunk: {bad")
			.verify(Duration.ofSeconds(5));
		assertThat(this.bodyCancelled).isTrue();
		assertThat(this.reads).hasValue(3);
		assertAllReleased();
	}

	@Test
	void failureOfTheBodyComesAfterTheChunksOfTheBuffersBeforeIt() {
		StepVerifier.create(chunks(), 1)
			.then(() -> {
				send(events("a", "b", "c") + "data: cut off");
				this.body.tryEmitError(new IllegalStateException("connection reset"));
			})
			.expectNext("a")
			.thenRequest(Long.MAX_VALUE)
			.expectNext("b", "c")
			.expectErrorMessage("connection reset")
			.verify(Duration.ofSeconds(5));
		assertAllReleased();
	}

	@Test
	void bodyThatEndsBeforeDoneFailsAfterTheEventItCutOff() {
		StepVerifier.create(chunks())
			.then(() -> {
				send(events("a") + "data: b");
				this.body.tryEmitComplete();
			})
			.expectNext("a", "b")
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(KlusterInvalidResponseException.class)
				.hasMessageContaining("ended before data: [DONE]"))
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void eventLargerThanTheLimitFailsTheStreamAndEndsTheBody() {
		StepVerifier.create(chunks())
			.then(() -> send(events("a", "x".repeat(2000))))
			.expectNext("a")
			.expectError(DataBufferLimitException.class)
			.verify(Duration.ofSeconds(5));
		assertThat(this.bodyCancelled).isTrue();
		assertAllReleased();
	}

	@Test
	void completesAtDoneAndCancelsABodyThatGoesOnAfterTheGraceTime() {
		StepVerifier.create(chunks())
			.then(() -> send(events("a", "[DONE]", "after")))
			.expectNext("a")
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		send(": keep-alive\n\n");
		this.time.advanceTimeBy(GRACE.minusMillis(1));
		assertThat(this.bodyCancelled).isFalse();
		send(": keep-alive\n\n");
		this.time.advanceTimeBy(Duration.ofMillis(1));
		assertThat(this.bodyCancelled).isTrue();
		assertThat(this.reads).hasValue(1);
		assertAllReleased();
	}

	@Test
	void bodyThatEndsWithinTheGraceTimeIsReadToItsEnd() {
		StepVerifier.create(chunks())
			.then(() -> send(events("a", "[DONE]")))
			.expectNext("a")
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		send(": the end\n\n");
		this.body.tryEmitComplete();
		this.time.advanceTimeBy(GRACE.multipliedBy(2));
		assertThat(this.bodyCancelled).isFalse();
		assertAllReleased();
	}

	@Test
	void failureOfTheBodyAfterDoneIsIgnored() {
		StepVerifier.create(chunks())
			.then(() -> {
				send(events("a", "[DONE]"));
				this.body.tryEmitError(new IllegalStateException("connection reset"));
			})
			.expectNext("a")
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void cancelReleasesTheBufferBeingRead() {
		String large = "x".repeat(900);
		StepVerifier.create(chunks(), 1)
			.then(() -> send(events(large, large, large, "[DONE]")))
			.expectNext(large)
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		assertThat(this.bodyCancelled).isTrue();
		assertThat(this.reads).hasValue(1);
		assertAllReleased();
	}

	@Test
	void bufferThatArrivesAfterACancelIsReleased() {
		// A body that goes on delivering what was on its way when it was cancelled.
		AtomicReference<Subscriber<? super DataBuffer>> body = new AtomicReference<>();
		Flux<DataBuffer> source = Flux.from((subscriber) -> {
			body.set(subscriber);
			subscriber.onSubscribe(Operators.emptySubscription());
		});
		StepVerifier.create(chunks(source))
			.then(() -> body.get().onNext(buffer(events("a"))))
			.expectNext("a")
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		body.get().onNext(buffer(events("b")));
		assertAllReleased();
	}

	@Test
	void bodyFailureBeforeAnyBytesPassesThroughUnchanged() {
		StepVerifier.create(chunks())
			.then(() -> this.body.tryEmitError(new IllegalStateException("boom")))
			.expectErrorMessage("boom")
			.verify(Duration.ofSeconds(5));
	}

}
