package dev.kluster.boot.test;

import java.nio.file.Path;
import java.util.List;

/**
 * What the stand-in answers a request with before any fault is applied.
 */
sealed interface StandInAnswer {

	/**
	 * A body sent whole, with its length.
	 */
	record Body(int status, String body, String contentType) implements StandInAnswer {

	}

	/**
	 * Server-sent events: the JSON of each chunk, without {@code [DONE]}.
	 */
	record Events(List<String> chunks) implements StandInAnswer {

	}

	/**
	 * A file's content, streamed from disk.
	 */
	record Content(Path path, String contentType) implements StandInAnswer {

	}

}
