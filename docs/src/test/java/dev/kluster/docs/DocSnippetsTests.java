package dev.kluster.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code ```java} block of {@code README.md} and {@code docs/*.md} must be, line for
 * line, a tagged region ({@code // tag::name[]} ... {@code // end::name[]}) of a test
 * source of this module, where it is compiled and, where it does something, run. A block
 * that is not Java code (a signature, pseudo-code) is fenced as {@code ```text} instead.
 * <p>
 * Lines are compared without their indentation and with runs of blanks made one, and
 * blank lines are ignored: a doc may indent with spaces what the source indents with
 * tabs, but not change a token.
 * <p>
 * A block may start with {@code import} lines, each of which must be an import of the
 * source its region is in; and it must import every type of the starter it names, so
 * that a reader sees which package each one is in.
 */
class DocSnippetsTests {

	private static final Pattern FENCE = Pattern.compile("^\\s*```(\\S*)\\s*$");

	private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(static\\s+)?[\\w.*]+\\s*;\\s*$");

	private static final Pattern STARTER_IMPORT = Pattern
		.compile("^\\s*import\\s+(dev\\.kluster\\.boot\\.[\\w.]+\\.(\\w+))\\s*;\\s*$");

	private static final Pattern TAG = Pattern.compile("^\\s*//\\s*(tag|end)::([\\w.-]+)\\[\\]\\s*$");

	// Maven runs the tests in the module's directory; an IDE may run them at the root.
	private static final Path MODULE = Files.exists(Path.of("getting-started.md")) ? Path.of("").toAbsolutePath()
			: Path.of("docs").toAbsolutePath();

	@Test
	void everyJavaBlockOfTheDocsIsATaggedRegionOfACompiledSource() {
		Map<String, Region> regions = regions();
		List<String> failures = new ArrayList<>();
		for (Block block : javaBlocks()) {
			List<String> wanted = block.code();
			boolean found = regions.values().stream().anyMatch((region) -> region.shows(block));
			if (!found) {
				failures.add(describe(block, wanted, regions));
			}
		}
		assertThat(failures).as("Java blocks of the docs that are no compiled snippet: change the tagged region in "
				+ "docs/src/test/java together with the doc (or fence a block that is not code as ```text)")
			.isEmpty();
	}

	@Test
	void everyTaggedRegionIsShownInTheDocs() {
		List<Block> blocks = javaBlocks();
		List<String> unused = regions().values()
			.stream()
			.filter((region) -> blocks.stream().noneMatch(region::shows))
			.map((region) -> region.name() + " (" + region.source() + ")")
			.toList();
		assertThat(unused).as("tagged regions that no doc shows (stale snippets)").isEmpty();
	}

	@Test
	void theDocsAreFoundAndHaveJavaBlocks() {
		assertThat(markdownFiles()).extracting((path) -> path.getFileName().toString())
			.contains("README.md", "getting-started.md", "testing.md");
		assertThat(javaBlocks()).hasSizeGreaterThan(20);
	}

	@Test
	void everyStarterTypeABlockNamesIsImportedInIt() {
		Map<String, String> starterTypes = new LinkedHashMap<>();
		regions().values()
			.stream()
			.flatMap((region) -> region.imports().stream())
			.map(STARTER_IMPORT::matcher)
			.filter(Matcher::matches)
			.forEach((starterImport) -> starterTypes.put(starterImport.group(2), starterImport.group(1)));
		List<String> failures = new ArrayList<>();
		for (Block block : javaBlocks()) {
			// A type named in a comment needs no import.
			String code = String.join("\n", block.code()).replaceAll("//.*", "");
			String imports = String.join("\n", block.imports());
			starterTypes.forEach((name, qualified) -> {
				boolean named = Pattern.compile("(?<![\\w.])" + name + "\\b").matcher(code).find();
				// Imported from any package: a block beside another client's code may name that
				// client's type of the same name, which its import then shows.
				boolean imported = Pattern.compile("import [\\w.]+\\." + name + ";").matcher(imports).find();
				if (named && !imported) {
					failures.add(block.file() + ":" + block.line() + " names " + name + " without import " + qualified);
				}
			});
		}
		assertThat(failures).as("blocks that do not show the package of a starter type they use").isEmpty();
	}

	private static String describe(Block block, List<String> wanted, Map<String, Region> regions) {
		Region nearest = null;
		int best = -1;
		for (Region region : regions.values()) {
			List<String> lines = normalize(region.lines());
			int common = (int) wanted.stream().filter(lines::contains).count();
			if (common > best) {
				best = common;
				nearest = region;
			}
		}
		StringBuilder message = new StringBuilder();
		message.append(block.file()).append(':').append(block.line()).append(": a ```java block that is no tagged region");
		if (nearest != null && best > 0) {
			List<String> lines = normalize(nearest.lines());
			message.append("; nearest is ").append(nearest.name()).append(" in ").append(nearest.source());
			for (int i = 0; i < Math.max(lines.size(), wanted.size()); i++) {
				String doc = (i < wanted.size()) ? wanted.get(i) : "<end>";
				String code = (i < lines.size()) ? lines.get(i) : "<end>";
				if (!doc.equals(code)) {
					message.append(", first difference at its line ")
						.append(i + 1)
						.append(":\n  doc:     ")
						.append(doc)
						.append("\n  snippet: ")
						.append(code);
					break;
				}
			}
		}
		return message.toString();
	}

	static List<String> normalize(List<String> lines) {
		return lines.stream().map((line) -> line.strip().replaceAll("\\s+", " ")).filter((line) -> !line.isEmpty()).toList();
	}

	static List<Path> markdownFiles() {
		Path root = MODULE.getParent();
		List<Path> files = new ArrayList<>();
		files.add(root.resolve("README.md"));
		try (Stream<Path> docs = Files.list(MODULE)) {
			docs.filter((path) -> path.getFileName().toString().endsWith(".md")).sorted().forEach(files::add);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return files;
	}

	static List<Block> javaBlocks() {
		List<Block> blocks = new ArrayList<>();
		for (Path file : markdownFiles()) {
			List<String> lines = read(file);
			String language = null;
			int start = 0;
			List<String> body = new ArrayList<>();
			for (int i = 0; i < lines.size(); i++) {
				Matcher fence = FENCE.matcher(lines.get(i));
				if (language == null && fence.matches()) {
					language = fence.group(1);
					start = i + 1;
					body = new ArrayList<>();
				}
				else if (language != null && fence.matches() && fence.group(1).isEmpty()) {
					if (language.equals("java")) {
						blocks.add(new Block(MODULE.getParent().relativize(file).toString(), start, body));
					}
					language = null;
				}
				else if (language != null) {
					body.add(lines.get(i));
				}
			}
			assertThat(language).as("unclosed ``` block in " + file).isNull();
		}
		return blocks;
	}

	static Map<String, Region> regions() {
		Map<String, Region> regions = new LinkedHashMap<>();
		try (Stream<Path> sources = Files.walk(MODULE.resolve("src/test/java"))) {
			for (Path source : sources.filter((path) -> path.toString().endsWith(".java")).sorted().toList()) {
				Map<String, List<String>> open = new LinkedHashMap<>();
				List<String> imports = read(source).stream().filter((line) -> IMPORT.matcher(line).matches()).toList();
				for (String line : read(source)) {
					Matcher tag = TAG.matcher(line);
					if (tag.matches() && tag.group(1).equals("tag")) {
						open.put(tag.group(2), new ArrayList<>());
					}
					else if (tag.matches()) {
						List<String> lines = open.remove(tag.group(2));
						assertThat(lines).as("end::" + tag.group(2) + "[] without its tag in " + source).isNotNull();
						Region previous = regions.put(tag.group(2),
								new Region(tag.group(2), MODULE.relativize(source).toString(), lines, imports));
						assertThat(previous).as("tag " + tag.group(2) + " used twice").isNull();
					}
					else {
						open.values().forEach((lines) -> lines.add(line));
					}
				}
				assertThat(open).as("tags without their end in " + source).isEmpty();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return regions;
	}

	private static List<String> read(Path file) {
		try {
			return Files.readAllLines(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	record Block(String file, int line, List<String> lines) {

		/** The import lines the block starts with. */
		List<String> imports() {
			return normalize(this.lines).stream().takeWhile((line) -> IMPORT.matcher(line).matches()).toList();
		}

		/** The block without the import lines it starts with. */
		List<String> code() {
			List<String> lines = normalize(this.lines);
			return lines.subList(imports().size(), lines.size());
		}

	}

	record Region(String name, String source, List<String> lines, List<String> imports) {

		/** Whether the block is this region, with imports of its source before it or not. */
		boolean shows(Block block) {
			List<String> region = normalize(this.lines);
			if (region.equals(normalize(block.lines()))) {
				return true;
			}
			return region.equals(block.code()) && normalize(this.imports).containsAll(block.imports());
		}

	}

}
