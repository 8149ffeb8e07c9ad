package dev.kluster.boot.benchmarks.perf;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.Locale;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

import dev.kluster.boot.transport.KlusterRateLimit;
import dev.kluster.boot.transport.KlusterRateLimit.Limits;

/**
 * What the local pacer itself costs per call, apart from everything a real exchange
 * costs: on one thread, the rate limit's filter around an exchange that answers at once,
 * then the correction a chat call makes from its usage, against the same exchange without
 * the filter. The chat rows of the benchmark scatter by more than the pacer costs, so
 * this is where its target (under 2 µs of CPU per call) is read. Prints one {@code RESULT}
 * line with the medians over rounds of CPU time and allocation per call of the thread.
 */
public final class PacerCost {

	private static final int CALLS = 2_000_000;

	private static final int ROUNDS = 7;

	private PacerCost() {
	}

	public static void main(String[] args) {
		ExchangeFunction next = answeringAtOnce();
		String model = "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo";
		KlusterRateLimit paced = KlusterRateLimit.builder()
			.defaults(new Limits(1_000_000_000L, KlusterRateLimit.MAX_PER_MINUTE))
			.build();
		ClientRequest request = ClientRequest.create(HttpMethod.POST, URI.create("http://127.0.0.1/v1/chat/completions"))
			.attribute(KlusterRateLimit.MODEL_ATTRIBUTE, model)
			.attribute(KlusterRateLimit.TOKENS_ATTRIBUTE, 330L)
			.build();
		double[] cpu = new double[ROUNDS];
		double[] alloc = new double[ROUNDS];
		long[] answers = new long[1];
		for (int round = 0; round < ROUNDS; round++) {
			double[] without = measure(() -> next.exchange(request).subscribe((response) -> answers[0]++));
			double[] with = measure(() -> {
				paced.filter(request, next).subscribe((response) -> answers[0]++);
				paced.correct(model, 330, 118);
			});
			cpu[round] = with[0] - without[0];
			alloc[round] = with[1] - without[1];
		}
		System.out.println(String.format(Locale.ROOT, "RESULT cpuNs=%.0f allocBytes=%.0f answers=%d", PerformanceBenchmark.median(cpu),
				PerformanceBenchmark.median(alloc), answers[0]));
	}

	private static ExchangeFunction answeringAtOnce() {
		Mono<ClientResponse> answer = Mono.just(ClientResponse.create(HttpStatus.OK).build());
		return (request) -> answer;
	}

	// CPU nanoseconds and bytes allocated per call by this thread.
	private static double[] measure(Runnable call) {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long allocated = threads.getCurrentThreadAllocatedBytes();
		long cpu = threads.getCurrentThreadCpuTime();
		for (int i = 0; i < CALLS; i++) {
			call.run();
		}
		return new double[] { (threads.getCurrentThreadCpuTime() - cpu) / (double) CALLS,
				(threads.getCurrentThreadAllocatedBytes() - allocated) / (double) CALLS };
	}

}
