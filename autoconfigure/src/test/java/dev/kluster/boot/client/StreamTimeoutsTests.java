package dev.kluster.boot.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import dev.kluster.boot.error.KlusterTimeoutException;
import dev.kluster.boot.transport.KlusterTimeouts;

/**
 * Tests of the {@link StreamTimeouts} that a {@link ChunkStream} applies, in virtual time:
 * which limit a late stream hits, to the nanosecond, that a stream on time is never cut,
 * however long it lasts, and that streams whose deadlines never come near cost no timer
 * task of their own.
 */
class StreamTimeoutsTests {

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final Sinks.Many<DataBuffer> body = Sinks.many().unicast().onBackpressureBuffer();

	private Flux<String> chunks(Duration response, Duration idle) {
		StreamTimeouts limits = new StreamTimeouts(response, idle, this.time,
				() -> this.time.now(TimeUnit.NANOSECONDS));
		return new ChunkStream<>(this.body.asFlux(),
				(data, offset, length) -> new String(data, offset, length, StandardCharsets.UTF_8), 1024, limits,
				() -> {
				}, new ChunkStream.Progress());
	}

	private void send(String text) {
		this.body.tryEmitNext(DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8)));
	}

	private void chunk(String data) {
		send("data: " + data + "\n\n");
	}

	private void keepAlive() {
		send(": keep-alive\n\n");
	}

	private void done() {
		chunk("[DONE]");
		this.body.tryEmitComplete();
	}

	@Test
	void firstChunkLaterThanTheResponseTimeoutFailsWithThatLimit() {
		StepVerifier.create(chunks(Duration.ofSeconds(10), Duration.ofSeconds(2)))
			.then(() -> this.time.advanceTimeBy(Duration.ofSeconds(9)))
			.expectNoEvent(Duration.ZERO)
			.then(() -> this.time.advanceTimeBy(Duration.ofSeconds(1)))
			.expectErrorSatisfies((ex) -> assertThat(((KlusterTimeoutException) ex).limit())
				.isEqualTo(KlusterTimeouts.RESPONSE_TIMEOUT_PROPERTY))
			.verify(Duration.ofSeconds(5));
		assertThat(this.body.currentSubscriberCount()).isZero();
	}

	@Test
	void silenceAfterAChunkFailsWithTheIdleLimitEvenWhenItIsTheShorterOne() {
		StepVerifier.create(chunks(Duration.ofSeconds(10), Duration.ofSeconds(2)))
			.then(() -> chunk("a"))
			.expectNext("a")
			.then(() -> this.time.advanceTimeBy(Duration.ofMillis(1999)))
			.expectNoEvent(Duration.ZERO)
			.then(() -> this.time.advanceTimeBy(Duration.ofMillis(1)))
			.expectErrorSatisfies((ex) -> assertThat(((KlusterTimeoutException) ex).limit())
				.isEqualTo(KlusterTimeouts.STREAM_IDLE_TIMEOUT_PROPERTY))
			.verify(Duration.ofSeconds(5));
		assertThat(this.body.currentSubscriberCount()).isZero();
	}

	@Test
	void streamWhoseChunksComeInTimeRunsLongerThanBothLimits() {
		StepVerifier.create(chunks(Duration.ofSeconds(3), Duration.ofSeconds(2)))
			.then(() -> {
				for (int i = 0; i < 30; i++) {
					this.time.advanceTimeBy(Duration.ofMillis(1500));
					chunk("c" + i);
				}
				done();
			})
			.expectNextCount(30)
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void cancelledStreamIsNotFailedLater() {
		StepVerifier.create(chunks(Duration.ofSeconds(1), Duration.ofSeconds(1)))
			.then(() -> chunk("a"))
			.expectNext("a")
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		this.time.advanceTimeBy(Duration.ofSeconds(5));
		assertThat(this.body.currentSubscriberCount()).isZero();
	}

	@Test
	void subscriberThatRequestsNothingMoreIsNotASilentServer() {
		// The server sent everything at once; the subscriber takes 5 s per chunk.
		StepVerifier.create(chunks(Duration.ofSeconds(10), Duration.ofSeconds(1)), 1)
			.then(() -> {
				for (int i = 0; i < 20; i++) {
					chunk("c" + i);
				}
				done();
			})
			.expectNext("c0")
			.then(() -> {
				for (int i = 1; i < 20; i++) {
					this.time.advanceTimeBy(Duration.ofSeconds(5));
					assertThat(this.body.currentSubscriberCount()).isOne();
				}
			})
			.thenRequest(19)
			.expectNextCount(19)
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void silenceAfterTheSubscriberAsksAgainCountsFromItsRequest() {
		StepVerifier.create(chunks(Duration.ofSeconds(10), Duration.ofSeconds(2)), 1)
			.then(() -> chunk("a"))
			.expectNext("a")
			.then(() -> this.time.advanceTimeBy(Duration.ofSeconds(30)))
			.thenRequest(1)
			.then(() -> this.time.advanceTimeBy(Duration.ofMillis(1999)))
			.expectNoEvent(Duration.ZERO)
			.then(() -> this.time.advanceTimeBy(Duration.ofMillis(1)))
			.expectErrorSatisfies((ex) -> assertThat(((KlusterTimeoutException) ex).limit())
				.isEqualTo(KlusterTimeouts.STREAM_IDLE_TIMEOUT_PROPERTY))
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void streamsThatEndBeforeTheirDeadlineComesNearScheduleNoTaskOfTheirOwn() {
		AtomicInteger scheduled = new AtomicInteger();
		Scheduler counting = new Scheduler() {

			@Override
			public Disposable schedule(Runnable task) {
				return StreamTimeoutsTests.this.time.schedule(task);
			}

			@Override
			public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
				scheduled.incrementAndGet();
				return StreamTimeoutsTests.this.time.schedule(task, delay, unit);
			}

			@Override
			public Worker createWorker() {
				return StreamTimeoutsTests.this.time.createWorker();
			}

		};
		StreamTimeouts limits = new StreamTimeouts(Duration.ofMinutes(5), Duration.ofMinutes(1), counting,
				() -> this.time.now(TimeUnit.NANOSECONDS));
		for (int i = 0; i < 100; i++) {
			Sinks.Many<DataBuffer> body = Sinks.many().unicast().onBackpressureBuffer();
			CompleteAtEnd end = new CompleteAtEnd(Duration.ofSeconds(1), limits);
			Flux<String> chunks = new ChunkStream<>(end.watch(body.asFlux()),
					(data, offset, length) -> new String(data, offset, length, StandardCharsets.UTF_8), 1024, limits,
					end::end, new ChunkStream.Progress());
			StepVerifier.create(chunks).then(() -> {
				body.tryEmitNext(DefaultDataBufferFactory.sharedInstance.wrap("data: a\n\n".getBytes(StandardCharsets.UTF_8)));
				body.tryEmitNext(DefaultDataBufferFactory.sharedInstance.wrap("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8)));
				body.tryEmitComplete();
			}).expectNext("a").expectComplete().verify(Duration.ofSeconds(5));
			this.time.advanceTimeBy(Duration.ofMillis(1));
		}
		// One sweep of what was noted, which found nothing left to time, and stopped.
		assertThat(scheduled).hasValue(1);
		this.time.advanceTimeBy(Duration.ofMinutes(10));
		assertThat(scheduled).hasValue(1);
	}

	@Test
	void bytesThatAreNotYetTheAnswerLeaveTheResponseLimitRunning() {
		StepVerifier.create(chunks(Duration.ofSeconds(10), Duration.ofSeconds(2)))
			.then(() -> {
				for (int i = 0; i < 9; i++) {
					this.time.advanceTimeBy(Duration.ofSeconds(1));
					keepAlive();
				}
			})
			.expectNoEvent(Duration.ZERO)
			.then(() -> this.time.advanceTimeBy(Duration.ofSeconds(1)))
			.expectErrorSatisfies((ex) -> assertThat(((KlusterTimeoutException) ex).limit())
				.isEqualTo(KlusterTimeouts.RESPONSE_TIMEOUT_PROPERTY))
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void anyBytesAfterTheAnswerBeganKeepTheStreamAlive() {
		StepVerifier.create(chunks(Duration.ofSeconds(10), Duration.ofSeconds(2)))
			.then(() -> chunk("a"))
			.expectNext("a")
			.then(() -> {
				for (int i = 0; i < 10; i++) {
					this.time.advanceTimeBy(Duration.ofMillis(1500));
					keepAlive();
				}
				chunk("b");
				done();
			})
			.expectNext("b")
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

}
