package dev.kluster.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which modules are published is written in four places: each module's pom
 * ({@code maven.deploy.skip}), the BOM, the release profile's {@code excludeArtifacts}
 * and the table of docs/releasing.md. They must agree, so that a new module is neither
 * published without a place in the BOM nor left out of it by mistake.
 */
class PublishedModulesTests {

	// Maven runs the tests in the module's directory; an IDE may run them at the root.
	private static final Path ROOT = Files.exists(Path.of("getting-started.md")) ? Path.of("..").toAbsolutePath()
			: Path.of("").toAbsolutePath();

	private static final Pattern TABLE_ROW = Pattern.compile("^\\| [^|]+ \\| `([\\w-]+)` \\| (yes|no) \\|");

	@Test
	void theBomManagesEveryPublishedJarAndNothingElse() throws Exception {
		Map<String, Boolean> modules = modules();
		List<String> publishedJars = modules.entrySet()
			.stream()
			.filter(Map.Entry::getValue)
			.map(Map.Entry::getKey)
			.filter((artifactId) -> !artifactId.equals("kluster-spring-boot-dependencies"))
			.toList();
		List<String> managed = texts(pom(ROOT.resolve("bom/pom.xml")), "dependencyManagement", "artifactId");
		assertThat(managed).containsExactlyInAnyOrderElementsOf(publishedJars);
	}

	@Test
	void theReleaseProfileLeavesOutEveryModuleThatIsNotPublished() throws Exception {
		List<String> notPublished = modules().entrySet()
			.stream()
			.filter((module) -> !module.getValue())
			.map(Map.Entry::getKey)
			.toList();
		List<String> excluded = texts(pom(ROOT.resolve("pom.xml")), "excludeArtifacts", "artifact");
		assertThat(excluded).containsExactlyInAnyOrderElementsOf(notPublished);
	}

	@Test
	void releasingMdListsEveryModuleAsThePomsSay() throws Exception {
		Map<String, Boolean> documented = new TreeMap<>();
		for (String line : Files.readAllLines(ROOT.resolve("docs/releasing.md"))) {
			Matcher row = TABLE_ROW.matcher(line);
			if (row.find()) {
				documented.put(row.group(1), row.group(2).equals("yes"));
			}
		}
		Map<String, Boolean> expected = new TreeMap<>(modules());
		expected.put(artifactId(pom(ROOT.resolve("pom.xml"))), true);
		assertThat(documented).isEqualTo(expected);
	}

	/**
	 * The modules of the root pom, those of its profiles too, by artifact id.
	 * @return whether each is published, by artifact id
	 */
	private static Map<String, Boolean> modules() throws Exception {
		Map<String, Boolean> modules = new TreeMap<>();
		for (String module : new TreeSet<>(texts(pom(ROOT.resolve("pom.xml")), "modules", "module"))) {
			Document pom = pom(ROOT.resolve(module).resolve("pom.xml"));
			List<String> skip = texts(pom, "properties", "maven.deploy.skip");
			modules.put(artifactId(pom), !skip.contains("true"));
		}
		return modules;
	}

	private static String artifactId(Document pom) {
		NodeList children = pom.getDocumentElement().getChildNodes();
		for (int i = 0; i < children.getLength(); i++) {
			if (children.item(i) instanceof Element element && element.getTagName().equals("artifactId")) {
				return element.getTextContent().strip();
			}
		}
		throw new IllegalStateException("no artifactId in " + pom.getDocumentURI());
	}

	/**
	 * The text of every {@code child} element below a {@code parent} element.
	 */
	private static List<String> texts(Document pom, String parent, String child) {
		List<String> texts = new ArrayList<>();
		NodeList parents = pom.getElementsByTagName(parent);
		for (int i = 0; i < parents.getLength(); i++) {
			NodeList children = ((Element) parents.item(i)).getElementsByTagName(child);
			for (int j = 0; j < children.getLength(); j++) {
				Node node = children.item(j);
				texts.add(node.getTextContent().strip());
			}
		}
		return texts;
	}

	private static Document pom(Path path) throws Exception {
		return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(path.toFile());
	}

}
