package dev.kluster.boot.ratelimit;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kluster.boot.error.KlusterRateLimitWaitException;
import dev.kluster.boot.observation.KlusterRateLimitMeters;
import dev.kluster.boot.transport.KlusterRateLimit;
import dev.kluster.boot.transport.KlusterRateLimit.Limits;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.util.context.Context;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import dev.kluster.boot.observation.KlusterChatObservationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pacer of one instance, in virtual time: the waits are delays on a virtual
 * scheduler whose clock the token buckets read.
 */
@ExtendWith(OutputCaptureExtension.class)
class KlusterRateLimitTests {

	private static final String MODEL = "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo";

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final AtomicInteger sent = new AtomicInteger();

	private final List<Duration> sentAt = new ArrayList<>();

	private final List<Throwable> failures = new ArrayList<>();

	private final List<Disposable> calls = new ArrayList<>();

	private HttpStatus status = HttpStatus.OK;

	private final HttpHeaders answerHeaders = new HttpHeaders();

	private final ExchangeFunction server = (request) -> Mono.fromSupplier(() -> {
		this.sent.incrementAndGet();
		this.sentAt.add(Duration.ofNanos(this.time.now(java.util.concurrent.TimeUnit.NANOSECONDS)));
		return ClientResponse.create(this.status).headers((headers) -> headers.addAll(this.answerHeaders)).build();
	});

	private final List<String> meterEvents = new ArrayList<>();

	private final KlusterRateLimitMeters meters = new KlusterRateLimitMeters() {

		@Override
		public void waited(String budget, Duration wait) {
			KlusterRateLimitTests.this.meterEvents.add("waited " + budget + " " + wait.toSeconds() + "s");
		}

		@Override
		public void refused(String budget) {
			KlusterRateLimitTests.this.meterEvents.add("refused " + budget);
		}

	};

	@AfterEach
	void dispose() {
		this.calls.forEach(Disposable::dispose);
		this.time.dispose();
	}

	private KlusterRateLimit.Builder limit() {
		return KlusterRateLimit.builder().scheduler(this.time).meters(this.meters);
	}

	private void call(KlusterRateLimit limit, String model, long tokens) {
		ClientRequest request = ClientRequest.create(HttpMethod.POST, URI.create("http://localhost/v1/chat/completions"))
			.attribute(KlusterRateLimit.MODEL_ATTRIBUTE, model)
			.attribute(KlusterRateLimit.TOKENS_ATTRIBUTE, tokens)
			.build();
		this.calls.add(limit.filter(request, this.server).subscribe((response) -> {
		}, this.failures::add));
	}

	@Test
	void aMinutesRequestsGoAtOnceThenOneEveryShareOfTheMinute() {
		KlusterRateLimit limit = limit().defaults(new Limits(12L, null)).maxWait(Duration.ofMinutes(5)).build();
		for (int i = 0; i < 15; i++) {
			call(limit, MODEL, 0);
		}
		assertThat(this.sent).hasValue(12);
		this.time.advanceTimeBy(Duration.ofMillis(4999));
		assertThat(this.sent).hasValue(12);
		this.time.advanceTimeBy(Duration.ofMillis(1));
		assertThat(this.sent).hasValue(13);
		this.time.advanceTimeBy(Duration.ofSeconds(10));
		assertThat(this.sent).hasValue(15);
		assertThat(this.sentAt.subList(12, 15)).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10),
				Duration.ofSeconds(15));
		assertThat(this.failures).isEmpty();
		assertThat(this.meterEvents).contains("waited requests 0s", "waited requests 15s");
	}

	@Test
	void aRequestThatWouldWaitLongerThanTheMaximumFailsAtOnceAndGivesItsReservationBack() {
		KlusterRateLimit limit = limit().defaults(new Limits(12L, null)).maxWait(Duration.ofSeconds(7)).build();
		for (int i = 0; i < 14; i++) {
			call(limit, MODEL, 0);
		}
		assertThat(this.sent).hasValue(12);
		assertThat(this.failures).singleElement().isInstanceOfSatisfying(KlusterRateLimitWaitException.class, (ex) -> {
			assertThat(ex.budget()).isEqualTo("kluster.rate-limit.requests-per-minute");
			assertThat(ex.model()).isEqualTo(MODEL);
			assertThat(ex.waitNeeded()).isEqualTo(Duration.ofSeconds(10));
			assertThat(ex.maxWait()).isEqualTo(Duration.ofSeconds(7));
			assertThat(ex.getMessage()).contains("kluster.rate-limit.requests-per-minute", MODEL, "10000 ms",
					"kluster.rate-limit.max-wait");
		});
		assertThat(this.meterEvents).contains("refused requests");
		this.time.advanceTimeBy(Duration.ofSeconds(5));
		assertThat(this.sent).hasValue(13);
		// The refused request took nothing: the next one waits only for the next refill.
		call(limit, MODEL, 0);
		this.time.advanceTimeBy(Duration.ofSeconds(5));
		assertThat(this.sent).hasValue(14);
		assertThat(this.failures).hasSize(1);
	}

	@Test
	void tokensAreBudgetedByEstimateAndCorrectedByUsage() {
		KlusterRateLimit limit = limit().defaults(new Limits(null, 1200L)).build();
		call(limit, MODEL, 1000);
		call(limit, MODEL, 400);
		assertThat(this.sent).hasValue(1);
		// 200 tokens short at 20 tokens a second.
		this.time.advanceTimeBy(Duration.ofMillis(9999));
		assertThat(this.sent).hasValue(1);
		this.time.advanceTimeBy(Duration.ofMillis(1));
		assertThat(this.sent).hasValue(2);
		// Both used far fewer tokens than estimated: the budget gets them back.
		limit.correct(MODEL, 1000, 100);
		limit.correct(MODEL, 400, 100);
		call(limit, MODEL, 1000);
		assertThat(this.sent).hasValue(3);
	}

	@Test
	void aUsageAboveTheEstimateTakesTheDifference() {
		KlusterRateLimit limit = limit().defaults(new Limits(null, 1200L)).build();
		call(limit, MODEL, 100);
		limit.correct(MODEL, 100, 1100);
		// 100 tokens left, 200 wanted: 100 short at 20 tokens a second.
		call(limit, MODEL, 200);
		assertThat(this.sent).hasValue(1);
		this.time.advanceTimeBy(Duration.ofSeconds(5));
		assertThat(this.sent).hasValue(2);
	}

	@Test
	void eachModelHasItsOwnBudgetAndAConfiguredModelItsOwnLimits() {
		KlusterRateLimit limit = limit().defaults(new Limits(2L, null))
			.model("deepseek-ai/DeepSeek-R1", new Limits(1L, null))
			.maxWait(Duration.ZERO)
			.build();
		call(limit, MODEL, 0);
		call(limit, MODEL, 0);
		call(limit, "deepseek-ai/DeepSeek-R1", 0);
		call(limit, "deepseek-ai/DeepSeek-R1", 0);
		call(limit, MODEL, 0);
		assertThat(this.sent).hasValue(3);
		assertThat(this.failures).hasSize(2)
			.allSatisfy((ex) -> assertThat(ex).isInstanceOf(KlusterRateLimitWaitException.class));
		assertThat(limit.limitsOf("deepseek-ai/DeepSeek-R1")).isEqualTo(new Limits(1L, null));
		assertThat(limit.limitsOf(null)).isEqualTo(new Limits(2L, null));
	}

	@Test
	void aModelKeyThatLostItsSlashInBindingIsReportedOnceWhenTheModelIsAsked(CapturedOutput output) {
		KlusterRateLimit limit = limit().defaults(new Limits(2L, null))
			.model("deepseek-aiDeepSeek-R1", new Limits(1L, null))
			.build();
		assertThat(limit.limitsOf("deepseek-ai/DeepSeek-R1")).isEqualTo(new Limits(2L, null));
		limit.limitsOf("deepseek-ai/DeepSeek-R1");
		limit.limitsOf(MODEL);
		assertThat(output.getAll().split("kluster.rate-limit.models has limits")).hasSize(2);
		assertThat(output).contains("\"deepseek-aiDeepSeek-R1\", which no request names")
			.contains("kluster.rate-limit.models[deepseek-ai/DeepSeek-R1]");
	}

	@Test
	void aRequestLargerThanTheWholeBudgetWaitsForAFullBucketNotForEver() {
		KlusterRateLimit limit = limit().defaults(new Limits(null, 600L)).maxWait(Duration.ofMinutes(2)).build();
		call(limit, MODEL, 5000);
		call(limit, MODEL, 5000);
		assertThat(this.sent).hasValue(1);
		this.time.advanceTimeBy(Duration.ofMinutes(1));
		assertThat(this.sent).hasValue(2);
	}

	@Test
	void aRateLimitAnswerWithRetryAfterHoldsBackWaitingAndNewRequestsUntilThen() {
		KlusterRateLimit limit = limit().defaults(new Limits(60L, null)).maxWait(Duration.ofMinutes(5)).build();
		for (int i = 0; i < 59; i++) {
			call(limit, MODEL, 0);
		}
		this.status = HttpStatus.TOO_MANY_REQUESTS;
		this.answerHeaders.set(HttpHeaders.RETRY_AFTER, "20");
		call(limit, MODEL, 0);
		assertThat(this.sent).hasValue(60);
		this.status = HttpStatus.OK;
		// One was waiting already, another comes after the 429.
		call(limit, MODEL, 0);
		call(limit, MODEL, 0);
		this.time.advanceTimeBy(Duration.ofMillis(19999));
		assertThat(this.sent).hasValue(60);
		this.time.advanceTimeBy(Duration.ofSeconds(3));
		assertThat(this.sent).hasValue(62);
		assertThat(this.sentAt.subList(60, 62)).allSatisfy((at) -> assertThat(at).isGreaterThanOrEqualTo(Duration.ofSeconds(20)));
	}

	@Test
	void aRequestCancelledWhileItWaitsGivesItsReservationBack() {
		KlusterRateLimit limit = limit().defaults(new Limits(1L, null)).maxWait(Duration.ofMinutes(5)).build();
		call(limit, MODEL, 0);
		call(limit, MODEL, 0);
		this.calls.get(1).dispose();
		call(limit, MODEL, 0);
		this.time.advanceTimeBy(Duration.ofSeconds(60));
		assertThat(this.sent).hasValue(2);
		assertThat(this.sentAt.get(1)).isEqualTo(Duration.ofSeconds(60));
	}

	@Test
	void requestsWithoutAModelShareTheBudgetOfAnyModel() {
		KlusterRateLimit limit = limit().defaults(new Limits(1L, null)).maxWait(Duration.ZERO).build();
		ClientRequest poll = ClientRequest.create(HttpMethod.GET, URI.create("http://localhost/v1/batches/b1")).build();
		limit.filter(poll, this.server).subscribe((response) -> {
		}, this.failures::add);
		limit.filter(poll, this.server).subscribe((response) -> {
		}, this.failures::add);
		assertThat(this.sent).hasValue(1);
		assertThat(this.failures).singleElement()
			.isInstanceOfSatisfying(KlusterRateLimitWaitException.class, (ex) -> assertThat(ex.model()).isEqualTo("*"));
	}

	@Test
	void aWaitShowsAsAnEventOfTheChatObservation() {
		List<String> events = new ArrayList<>();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onEvent(Observation.Event event, Observation.Context context) {
				events.add(event.getName() + ": " + event.getContextualName());
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		});
		Observation chat = Observation.createNotStarted("gen_ai.client.operation",
				() -> new KlusterChatObservationContext(KlusterChatObservationContext.CHAT, null, false), registry)
			.start();
		// The WebClient's exchange is the current observation where the filter runs.
		Observation exchange = Observation.createNotStarted("http.client.requests", registry)
			.parentObservation(chat)
			.start();
		KlusterRateLimit limit = limit().defaults(new Limits(1L, null)).maxWait(Duration.ofMinutes(5)).build();
		call(limit, MODEL, 0);
		ClientRequest request = ClientRequest.create(HttpMethod.POST, URI.create("http://localhost/v1/chat/completions"))
			.attribute(KlusterRateLimit.MODEL_ATTRIBUTE, MODEL)
			.build();
		this.calls.add(limit.filter(request, this.server)
			.contextWrite(Context.of(ObservationThreadLocalAccessor.KEY, exchange))
			.subscribe());
		assertThat(events).containsExactly(
				"rate-limit-wait: waited 60000 ms for kluster.rate-limit.requests-per-minute");
		this.time.advanceTimeBy(Duration.ofMinutes(1));
		assertThat(this.sent).hasValue(2);
	}

	@Test
	void theEstimateIsAQuarterOfTheBodyPlusTheMostTokensToGenerate() {
		assertThat(KlusterRateLimit.estimateTokens(400, 256)).isEqualTo(356);
		assertThat(KlusterRateLimit.estimateTokens(401, null)).isEqualTo(101);
	}

}
