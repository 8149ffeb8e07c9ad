package dev.kluster.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The line counts of getting-started.md's side-by-side table are those of the snippets it
 * shows, and the starter's snippet of each task is no longer than Spring AI's or
 * openai-java's.
 */
class SideBySideLineCountsTests {

	// | Ask a question (`ask`) | 1 | 1 | 5 |
	private static final Pattern ROW = Pattern.compile("^\\|[^|]*\\(`([\\w-]+)`\\)\\s*\\|\\s*(\\d+)\\s*\\|\\s*(\\d+)\\s*\\|\\s*(\\d+)\\s*\\|\\s*$");

	private static final List<String> CLIENTS = List.of("kluster", "spring-ai", "openai-java");

	@Test
	void theTableCountsTheLinesOfTheSnippetsAndTheStarterNeedsNoMore() throws IOException {
		Map<String, DocSnippetsTests.Region> regions = DocSnippetsTests.regions();
		Map<String, List<Integer>> table = table();
		assertThat(table).containsOnlyKeys("ask", "request", "multi-turn", "finish-usage", "stream");
		List<String> failures = new ArrayList<>();
		table.forEach((task, shown) -> {
			List<Integer> counted = CLIENTS.stream().map((client) -> lines(regions.get(client + "-" + task))).toList();
			if (!counted.equals(shown)) {
				failures.add(task + ": the table says " + shown + ", the snippets have " + counted);
			}
			if (counted.get(0) > counted.get(1) || counted.get(0) > counted.get(2)) {
				failures.add(task + ": the starter needs " + counted.get(0) + " lines, more than " + counted.subList(1, 3));
			}
		});
		assertThat(failures).isEmpty();
	}

	// Lines of code: neither blank lines nor comments count, as in the table's heading.
	private static int lines(DocSnippetsTests.Region region) {
		assertThat(region).as("a region of the side-by-side is missing").isNotNull();
		return (int) DocSnippetsTests.normalize(region.lines()).stream().filter((line) -> !line.startsWith("//")).count();
	}

	private static Map<String, List<Integer>> table() throws IOException {
		Map<String, List<Integer>> rows = new LinkedHashMap<>();
		for (String line : Files.readAllLines(DocSnippetsTests.markdownFiles()
			.stream()
			.filter((path) -> path.getFileName().toString().equals("getting-started.md"))
			.findFirst()
			.orElseThrow())) {
			Matcher row = ROW.matcher(line);
			if (row.matches()) {
				rows.put(row.group(1), List.of(Integer.valueOf(row.group(2)), Integer.valueOf(row.group(3)),
						Integer.valueOf(row.group(4))));
			}
		}
		return rows;
	}

}
