package dev.kluster.boot.architecture;

import java.util.List;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.members;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The architecture described in {@code docs/architecture.md}: packages are layers, each
 * depending only on those below it, and the auto-configuration follows Spring Boot's own
 * rules (those Boot enforces on its modules with ArchUnit).
 */
class ArchitectureTests {

	/**
	 * The layers, bottom first; each may use only those before it. {@code ai}, Spring AI's
	 * model provider, is in the {@code kluster-spring-ai} module, which checks it.
	 */
	static final List<String> LAYERS = List.of("model", "error", "validation", "observation", "transport", "client",
			"batch", "ai", "autoconfigure", "test");

	/** The layers of other modules, absent from this one's class path. */
	static final List<String> OTHER_MODULES_LAYERS = List.of("ai");

	static final JavaClasses PRODUCTION = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.kluster.boot");

	static final JavaClasses TESTS = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
		.importPackages("dev.kluster.boot");

	@Test
	void everyPackageIsOneOfTheLayers() {
		classes().should()
			.resideInAnyPackage(LAYERS.stream().map(ArchitectureTests::packageOf).toArray(String[]::new))
			.check(PRODUCTION);
	}

	@Test
	void eachLayerUsesOnlyTheLayersBelowIt() {
		layers().check(PRODUCTION);
	}

	@Test
	void packagesHaveNoCycles() {
		slices().matching("dev.kluster.boot.(*)..").should().beFreeOfCycles().check(PRODUCTION);
	}

	@Test
	void onlyTheAutoConfigurationAndTheStandInUseSpringBoot() {
		noClasses().that()
			.resideOutsideOfPackages(packageOf("autoconfigure"), packageOf("test"))
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

	@Test
	void autoConfigurationClassesHaveNoPublicMembers() {
		members().that()
			.areDeclaredInClassesThat()
			.areAnnotatedWith(AutoConfiguration.class)
			.and(areNotDefaultConstructors())
			.should()
			.notBePublic()
			.allowEmptyShould(true)
			.check(PRODUCTION);
	}

	@Test
	void beanMethodsAreNotConditionalOnClass() {
		methods().that()
			.areAnnotatedWith(Bean.class)
			.should()
			.notBeAnnotatedWith(ConditionalOnClass.class)
			.because("@ConditionalOnClass on a @Bean method is ineffective: the return type is loaded first")
			.check(PRODUCTION);
	}

	@Test
	void conditionalOnMissingBeanDoesNotNameOnlyTheReturnType() {
		methods().that()
			.areAnnotatedWith(Bean.class)
			.and()
			.areAnnotatedWith(ConditionalOnMissingBean.class)
			.should(notNameOnlyTheirReturnTypeInConditionalOnMissingBean())
			.allowEmptyShould(true)
			.check(PRODUCTION);
	}

	@Test
	void conditionsAreNotPublic() {
		classes().that()
			.implement(Condition.class)
			.should()
			.notBePublic()
			.allowEmptyShould(true)
			.check(PRODUCTION);
	}

	@Test
	void configurationPropertiesAreBoundWithValueNotPrefix() {
		classes().that()
			.areAnnotatedWith(ConfigurationProperties.class)
			.should(haveAnnotationAttributeEmpty(ConfigurationProperties.class, "prefix"))
			.check(PRODUCTION);
	}

	@Test
	void testsVerifyStepsWithATimeout() {
		noClasses().should()
			.callMethod(StepVerifier.LastStep.class, "verifyComplete")
			.orShould()
			.callMethod(StepVerifier.LastStep.class, "verifyError")
			.orShould()
			.callMethod(StepVerifier.LastStep.class, "verifyError", Class.class)
			.orShould()
			.callMethod(StepVerifier.class, "verify")
			.because("a StepVerifier without a timeout hangs the build when the publisher does not end")
			.check(TESTS);
	}

	static LayeredArchitecture layers() {
		LayeredArchitecture architecture = layeredArchitecture().consideringOnlyDependenciesInLayers();
		for (String layer : LAYERS) {
			architecture = OTHER_MODULES_LAYERS.contains(layer)
					? architecture.optionalLayer(layer).definedBy(packageOf(layer))
					: architecture.layer(layer).definedBy(packageOf(layer));
		}
		for (int i = 0; i < LAYERS.size() - 1; i++) {
			String[] above = LAYERS.subList(i + 1, LAYERS.size()).toArray(String[]::new);
			architecture = architecture.whereLayer(LAYERS.get(i)).mayOnlyBeAccessedByLayers(above);
		}
		return architecture.whereLayer(LAYERS.get(LAYERS.size() - 1)).mayNotBeAccessedByAnyLayer();
	}

	// The implicit constructor of a public class is public; Boot's rule exempts it too.
	static DescribedPredicate<JavaMember> areNotDefaultConstructors() {
		return DescribedPredicate.describe("are not default constructors",
				(member) -> !(member instanceof JavaConstructor constructor) || !constructor.getParameters().isEmpty());
	}

	static String packageOf(String layer) {
		return "dev.kluster.boot." + layer + "..";
	}

	static ArchCondition<JavaMethod> notNameOnlyTheirReturnTypeInConditionalOnMissingBean() {
		return new ArchCondition<>("not name only their return type in @ConditionalOnMissingBean") {

			@Override
			public void check(JavaMethod method, ConditionEvents events) {
				ConditionalOnMissingBean annotation = method.getAnnotationOfType(ConditionalOnMissingBean.class);
				boolean onlyReturnType = annotation.value().length == 1 && annotation.name().length == 0
						&& annotation.type().length == 0
						&& annotation.value()[0].getName().equals(method.getRawReturnType().getName());
				if (onlyReturnType) {
					events.add(SimpleConditionEvent.violated(method,
							method.getFullName() + " names its return type, which is the default"));
				}
			}

		};
	}

	static ArchCondition<JavaClass> haveAnnotationAttributeEmpty(Class<ConfigurationProperties> type, String name) {
		return new ArchCondition<>("use value rather than " + name) {

			@Override
			public void check(JavaClass javaClass, ConditionEvents events) {
				Object value = javaClass.getAnnotationOfType(type.getName()).get(name).orElse("");
				if (!"".equals(value)) {
					events.add(SimpleConditionEvent.violated(javaClass, javaClass.getName() + " sets " + name));
				}
			}

		};
	}

}
