package dev.kluster.boot.autoconfigure;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import dev.kluster.boot.model.AssistantMessage;
import dev.kluster.boot.model.BatchOptions;
import dev.kluster.boot.model.BatchResponseDeserializer;
import dev.kluster.boot.model.BatchResult;
import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.EmbeddingVectorDeserializer;
import dev.kluster.boot.model.EpochSecondsDeserializer;
import dev.kluster.boot.model.EpochSecondsSerializer;
import dev.kluster.boot.model.QueuedChatCompletion;
import dev.kluster.boot.model.KlusterOptions;
import dev.kluster.boot.model.Role;
import dev.kluster.boot.model.Usage;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the {@link KlusterRuntimeHints}: every type the clients' {@code JsonMapper}
 * binds, and every resource they load, has a hint, and ahead-of-time processing of the
 * auto-configuration registers them.
 */
class KlusterRuntimeHintsTests {

	private static final String MODEL_PACKAGE = ChatCompletion.class.getPackageName();

	/**
	 * Types of the model package that Jackson never binds, so need no hint: a new type of
	 * the package is either reached from the hinted bodies or added here, with its reason.
	 */
	private static final Set<String> NOT_BOUND = Set.of(
			// What the clients hand back for a queued call; built from a ChatCompletion.
			QueuedChatCompletion.class.getName(),
			// Settings of a batch call; the clients write a BatchCreateRequest from them.
			BatchOptions.class.getName(),
			// A builder's choice, written as the String it names.
			KlusterOptions.CompletionWindow.class.getName(),
			// Package-private helper that merges extra fields into a builder's map.
			MODEL_PACKAGE + ".ExtraBody");

	private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

	@Test
	void everyTypeOfTheModelPackageThatJacksonBindsHasAHint() {
		RuntimeHints hints = registered();
		List<String> missing = modelTypes().stream()
			.filter((type) -> !NOT_BOUND.contains(type.getName()))
			.filter((type) -> !this.reflection.onType(type).test(hints))
			.map(Class::getName)
			.toList();
		assertThat(missing).as("model types without a reflection hint").isEmpty();
	}

	@Test
	void recordsAreBoundThroughTheirCanonicalConstructorAndAccessors() {
		RuntimeHints hints = registered();
		assertThat(this.reflection.onConstructorInvocation(canonicalConstructor(ChatCompletion.class))).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(ChatCompletion.class, "choices")).accepts(hints);
		assertThat(this.reflection.onConstructorInvocation(canonicalConstructor(Usage.class))).accepts(hints);
		assertThat(this.reflection.onConstructorInvocation(canonicalConstructor(AssistantMessage.class)))
			.accepts(hints);
		assertThat(this.reflection.onConstructorInvocation(canonicalConstructor(BatchResult.class))).accepts(hints);
	}

	@Test
	void membersTheJacksonAnnotationsNameAreHinted() {
		RuntimeHints hints = registered();
		// ChatMessage writes "content" through an annotated method that is no record accessor.
		assertThat(this.reflection.onMethodInvocation(ChatMessage.class, "content")).accepts(hints);
		// Role is read through its @JsonCreator factory and written through its @JsonValue.
		assertThat(this.reflection.onMethodInvocation(Role.class, "of")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(Role.class, "wireName")).accepts(hints);
	}

	@Test
	void serializersTheJacksonAnnotationsNameCanBeInstantiated() {
		RuntimeHints hints = registered();
		for (Class<?> type : List.of(EpochSecondsDeserializer.class, EpochSecondsSerializer.class,
				EmbeddingVectorDeserializer.class, BatchResponseDeserializer.class)) {
			assertThat(this.reflection.onType(type).withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS))
				.as(type.getName())
				.accepts(hints);
		}
	}

	@Test
	void theUnsupportedParametersAreAResourceThatExists() {
		RuntimeHints hints = registered();
		assertThat(RuntimeHintsPredicates.resource().forResource(KlusterRuntimeHints.UNSUPPORTED_PARAMETERS))
			.accepts(hints);
		assertThat(getClass().getClassLoader().getResource(KlusterRuntimeHints.UNSUPPORTED_PARAMETERS)).isNotNull();
	}

	@Test
	void aheadOfTimeProcessingOfTheAutoConfigurationRegistersTheHints() {
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("com.example", "App")), new InMemoryGeneratedFiles());
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.register(KlusterAutoConfiguration.class);
			new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
		}
		RuntimeHints hints = generation.getRuntimeHints();
		assertThat(this.reflection.onType(ChatCompletion.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.resource().forResource(KlusterRuntimeHints.UNSUPPORTED_PARAMETERS))
			.accepts(hints);
	}

	private RuntimeHints registered() {
		RuntimeHints hints = new RuntimeHints();
		new KlusterRuntimeHints().registerHints(hints, getClass().getClassLoader());
		return hints;
	}

	private static List<Class<?>> modelTypes() {
		List<Class<?>> types = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages(MODEL_PACKAGE)
			.stream()
			.filter((type) -> type.getPackageName().equals(MODEL_PACKAGE))
			.map(JavaClass::reflect)
			.filter(KlusterRuntimeHintsTests::isBindable)
			.toList();
		assertThat(types).as("types of " + MODEL_PACKAGE).hasSizeGreaterThan(20);
		return types;
	}

	/**
	 * Annotations, builders (written by hand or generated) and the package's javadoc are not
	 * bound.
	 */
	private static boolean isBindable(Class<?> type) {
		return !type.isAnnotation() && !type.isAnonymousClass() && !type.isSynthetic()
				&& !type.getSimpleName().endsWith("Builder") && !type.getSimpleName().equals("package-info")
				&& !(type.isMemberClass() && Modifier.isPrivate(type.getModifiers()));
	}

	private static Constructor<?> canonicalConstructor(Class<? extends Record> type) {
		Class<?>[] components = Arrays.stream(type.getRecordComponents())
			.map(RecordComponent::getType)
			.toArray(Class<?>[]::new);
		try {
			return type.getDeclaredConstructor(components);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
