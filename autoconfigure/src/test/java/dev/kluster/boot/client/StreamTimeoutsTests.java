package dev.kluster.boot.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import dev.kluster.boot.error.KlusterTimeoutException;
import dev.kluster.boot.transport.KlusterTimeouts;

/**
 * Tests of {@link StreamTimeouts} in virtual time: which limit a late stream hits, and
 * that a stream on time is never cut, however long it lasts.
 */
class StreamTimeoutsTests {

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private StreamTimeouts limits(Duration response, Duration idle) {
		return new StreamTimeouts(response, idle, this.time, () -> this.time.now(TimeUnit.NANOSECONDS));
	}

	@Test
	void firstChunkLaterThanTheResponseTimeoutFailsWithThatLimit() {
		Sinks.Many<String> chunks = Sinks.many().unicast().onBackpressureBuffer();
		StepVerifier.create(limits(Duration.ofSeconds(10), Duration.ofSeconds(2)).apply(chunks.asFlux()))
			.then(() -> this.time.advanceTimeBy(Duration.ofSeconds(9)))
			.expectNoEvent(Duration.ZERO)
			.then(() -> this.time.advanceTimeBy(Duration.ofSeconds(1)))
			.expectErrorSatisfies((ex) -> assertThat(((KlusterTimeoutException) ex).limit())
				.isEqualTo(KlusterTimeouts.RESPONSE_TIMEOUT_PROPERTY))
			.verify(Duration.ofSeconds(5));
		assertThat(chunks.currentSubscriberCount()).isZero();
	}

	@Test
	void silenceAfterAChunkFailsWithTheIdleLimitEvenWhenItIsTheShorterOne() {
		Sinks.Many<String> chunks = Sinks.many().unicast().onBackpressureBuffer();
		StepVerifier.create(limits(Duration.ofSeconds(10), Duration.ofSeconds(2)).apply(chunks.asFlux()))
			.then(() -> chunks.tryEmitNext("a"))
			.expectNext("a")
			.then(() -> this.time.advanceTimeBy(Duration.ofMillis(1999)))
			.expectNoEvent(Duration.ZERO)
			.then(() -> this.time.advanceTimeBy(Duration.ofMillis(1)))
			.expectErrorSatisfies((ex) -> assertThat(((KlusterTimeoutException) ex).limit())
				.isEqualTo(KlusterTimeouts.STREAM_IDLE_TIMEOUT_PROPERTY))
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void streamWhoseChunksComeInTimeRunsLongerThanBothLimits() {
		Sinks.Many<String> chunks = Sinks.many().unicast().onBackpressureBuffer();
		StepVerifier.create(limits(Duration.ofSeconds(3), Duration.ofSeconds(2)).apply(chunks.asFlux()))
			.then(() -> {
				for (int i = 0; i < 30; i++) {
					this.time.advanceTimeBy(Duration.ofMillis(1500));
					chunks.tryEmitNext("c" + i);
				}
				chunks.tryEmitComplete();
			})
			.expectNextCount(30)
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void cancelledStreamIsNotFailedLater() {
		Sinks.Many<String> chunks = Sinks.many().unicast().onBackpressureBuffer();
		StepVerifier.create(limits(Duration.ofSeconds(1), Duration.ofSeconds(1)).apply(chunks.asFlux()))
			.then(() -> chunks.tryEmitNext("a"))
			.expectNext("a")
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		this.time.advanceTimeBy(Duration.ofSeconds(5));
		assertThat(chunks.currentSubscriberCount()).isZero();
	}

	@Test
	void upstreamErrorPassesThroughUnchanged() {
		StepVerifier.create(limits(Duration.ofSeconds(1), Duration.ofSeconds(1))
			.apply(Flux.<String>error(new IllegalStateException("boom"))))
			.expectErrorMessage("boom")
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void subscriberThatRequestsNothingMoreIsNotASilentServer() {
		Sinks.Many<String> chunks = Sinks.many().unicast().onBackpressureBuffer();
		// The server sent everything at once; the subscriber takes 5 s per chunk.
		StepVerifier.create(limits(Duration.ofSeconds(10), Duration.ofSeconds(1)).apply(chunks.asFlux()), 1)
			.then(() -> {
				for (int i = 0; i < 20; i++) {
					chunks.tryEmitNext("c" + i);
				}
				chunks.tryEmitComplete();
			})
			.expectNext("c0")
			.then(() -> {
				for (int i = 1; i < 20; i++) {
					this.time.advanceTimeBy(Duration.ofSeconds(5));
					assertThat(chunks.currentSubscriberCount()).isOne();
				}
			})
			.thenRequest(19)
			.expectNextCount(19)
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void silenceAfterTheSubscriberAsksAgainCountsFromItsRequest() {
		Sinks.Many<String> chunks = Sinks.many().unicast().onBackpressureBuffer();
		StepVerifier.create(limits(Duration.ofSeconds(10), Duration.ofSeconds(2)).apply(chunks.asFlux()), 1)
			.then(() -> chunks.tryEmitNext("a"))
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
	void itemsThatAreNotYetTheAnswerLeaveTheResponseLimitRunning() {
		Sinks.Many<String> chunks = Sinks.many().unicast().onBackpressureBuffer();
		StepVerifier.create(limits(Duration.ofSeconds(10), Duration.ofSeconds(2))
			.apply(chunks.asFlux(), (item) -> !item.isEmpty()))
			.then(() -> {
				for (int i = 0; i < 9; i++) {
					this.time.advanceTimeBy(Duration.ofSeconds(1));
					chunks.tryEmitNext("");
				}
			})
			.expectNextCount(9)
			.then(() -> this.time.advanceTimeBy(Duration.ofSeconds(1)))
			.expectErrorSatisfies((ex) -> assertThat(((KlusterTimeoutException) ex).limit())
				.isEqualTo(KlusterTimeouts.RESPONSE_TIMEOUT_PROPERTY))
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void anyItemAfterTheAnswerBeganKeepsTheStreamAlive() {
		Sinks.Many<String> chunks = Sinks.many().unicast().onBackpressureBuffer();
		StepVerifier.create(limits(Duration.ofSeconds(10), Duration.ofSeconds(2))
			.apply(chunks.asFlux(), (item) -> !item.isEmpty()))
			.then(() -> chunks.tryEmitNext("a"))
			.expectNext("a")
			.then(() -> {
				for (int i = 0; i < 10; i++) {
					this.time.advanceTimeBy(Duration.ofMillis(1500));
					chunks.tryEmitNext("");
				}
				chunks.tryEmitComplete();
			})
			.expectNextCount(10)
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

}
