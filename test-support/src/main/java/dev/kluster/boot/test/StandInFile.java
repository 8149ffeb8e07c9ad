package dev.kluster.boot.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A file a {@link KlusterStandIn} holds: one that was uploaded, or the output or error
 * file of a batch. Its content lives on disk, in a directory the stand-in deletes when it
 * closes or is reset.
 *
 * @param id the file id
 * @param filename the name it was uploaded with, or the name the stand-in gave it
 * @param purpose {@code batch} for uploads, {@code batch_output} for results
 * @param bytes the size of the content
 * @param createdAt when the stand-in received or wrote it, on its {@link StandInClock}
 * @param path where the content is
 * @since 0.1.0
 */
public record StandInFile(String id, String filename, String purpose, long bytes, Instant createdAt, Path path) {

	/**
	 * Read the content's lines. Meant for small files in tests: the whole content is read
	 * into memory.
	 * @return the lines, without line ends
	 */
	public List<String> lines() {
		try {
			return Files.readAllLines(this.path, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + this.path, ex);
		}
	}

}
