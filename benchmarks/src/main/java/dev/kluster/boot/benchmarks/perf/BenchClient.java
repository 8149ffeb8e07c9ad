package dev.kluster.boot.benchmarks.perf;

/**
 * One client under test, as the worker drives it: asynchronous calls that report their
 * end (and a stream's first chunk) through a {@link Call}. Implementations build the
 * same request: one user message, the same model, {@code max_completion_tokens} 256.
 */
interface BenchClient extends AutoCloseable {

	String MODEL = "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo";

	String PROMPT = "Summarize in one sentence: the delivery came two days late and the box was dented, "
			+ "but the blender itself works well and support answered within an hour.";

	int MAX_TOKENS = 256;

	/** A chat completion against {@code base}/chat/completions; the answer is parsed. */
	void chat(Call call);

	/**
	 * A streamed chat completion against the endpoint named {@code target} (s50, s2000 or
	 * trickle); every chunk is parsed.
	 * @return a handle that cancels the stream
	 */
	Runnable stream(String target, Call call);

	@Override
	default void close() throws Exception {
	}

	/** What a call reports. */
	interface Call {

		/** The first chunk of a stream arrived (and was parsed). */
		void first();

		/** The call ended; {@code error} is null on success. {@code items} counts chunks. */
		void done(Throwable error, int items);

	}

}
