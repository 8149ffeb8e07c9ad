package dev.kluster.boot.architecture;

import java.util.List;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layers of {@code docs/architecture.md} with Spring AI's model provider among them:
 * {@code ai} sits on the clients, under the auto-configuration, and is free of Spring Boot
 * like them. The rest of the rules are checked in the auto-configuration module.
 */
class SpringAiArchitectureTests {

	/** The layers, bottom first; each may use only those before it. */
	static final List<String> LAYERS = List.of("model", "error", "validation", "observation", "transport", "client",
			"batch", "ai", "autoconfigure", "test");

	static final JavaClasses PRODUCTION = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.kluster.boot");

	@Test
	void eachLayerUsesOnlyTheLayersBelowIt() {
		LayeredArchitecture architecture = layeredArchitecture().consideringOnlyDependenciesInLayers();
		for (String layer : LAYERS) {
			architecture = architecture.layer(layer).definedBy(packageOf(layer));
		}
		for (int i = 0; i < LAYERS.size() - 1; i++) {
			String[] above = LAYERS.subList(i + 1, LAYERS.size()).toArray(String[]::new);
			architecture = architecture.whereLayer(LAYERS.get(i)).mayOnlyBeAccessedByLayers(above);
		}
		architecture.whereLayer(LAYERS.get(LAYERS.size() - 1)).mayNotBeAccessedByAnyLayer().check(PRODUCTION);
	}

	@Test
	void packagesHaveNoCycles() {
		slices().matching("dev.kluster.boot.(*)..").should().beFreeOfCycles().check(PRODUCTION);
	}

	@Test
	void theModelProviderIsFreeOfSpringBoot() {
		noClasses().that()
			.resideInAPackage(packageOf("ai"))
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework.boot..")
			.check(PRODUCTION);
	}

	@Test
	void autoConfigurationClassesArePublicAndFinal() {
		classes().that()
			.areAnnotatedWith(AutoConfiguration.class)
			.should()
			.bePublic()
			.andShould()
			.haveModifier(JavaModifier.FINAL)
			.check(PRODUCTION);
	}

	static String packageOf(String layer) {
		return "dev.kluster.boot." + layer + "..";
	}

}
