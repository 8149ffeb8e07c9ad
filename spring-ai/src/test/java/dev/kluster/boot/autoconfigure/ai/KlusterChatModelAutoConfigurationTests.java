package dev.kluster.boot.autoconfigure.ai;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.kluster.boot.ai.KlusterChatModel;
import dev.kluster.boot.autoconfigure.KlusterAutoConfiguration;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.test.KlusterStandInExtension;
import dev.kluster.boot.validation.KlusterValidationException;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link KlusterChatModelAutoConfiguration}: an application with Spring AI and the
 * starter, against the stand-in.
 */
class KlusterChatModelAutoConfigurationTests {

	@RegisterExtension
	static final KlusterStandInExtension standInExtension = new KlusterStandInExtension();

	private ApplicationContextRunner contextRunner(KlusterStandIn standIn) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
					WebClientAutoConfiguration.class, KlusterAutoConfiguration.class,
					KlusterChatModelAutoConfiguration.class))
			.withPropertyValues("kluster.api-key=test-key", "kluster.base-url=" + standIn.baseUrl(),
					"kluster.warm-up.enabled=false");
	}

	@Test
	void selectedKlusterChatModelAnswersThroughChatClient(KlusterStandIn standIn) {
		standIn.answer("Paris.");
		contextRunner(standIn).withPropertyValues("spring.ai.model.chat=kluster").run((context) -> {
			assertThat(context).hasSingleBean(ChatModel.class).hasSingleBean(KlusterChatModel.class);
			ChatClient chatClient = ChatClient.create(context.getBean(ChatModel.class));
			assertThat(chatClient.prompt().user("Capital of France?").call().content()).isEqualTo("Paris.");
		});
		assertThat(standIn.lastRequest().header("Authorization")).isEqualTo("Bearer test-key");
	}

	@Test
	void klusterChatModelWhenNoChatModelIsSelected(KlusterStandIn standIn) {
		contextRunner(standIn).run((context) -> assertThat(context).hasSingleBean(KlusterChatModel.class));
	}

	@Test
	void noKlusterChatModelWhenAnotherChatModelIsSelected(KlusterStandIn standIn) {
		contextRunner(standIn).withPropertyValues("spring.ai.model.chat=openai")
			.run((context) -> assertThat(context).doesNotHaveBean(KlusterChatModel.class)
				.hasSingleBean(KlusterChatClient.class));
	}

	@Test
	void noKlusterChatModelWhenChatModelsAreTurnedOff(KlusterStandIn standIn) {
		contextRunner(standIn).withPropertyValues("spring.ai.model.chat=none")
			.run((context) -> assertThat(context).doesNotHaveBean(ChatModel.class));
	}

	@Test
	void noKlusterChatModelWhenTheStarterIsTurnedOff(KlusterStandIn standIn) {
		contextRunner(standIn).withPropertyValues("kluster.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(KlusterChatModel.class));
	}

	@Test
	void noKlusterChatModelWithoutSpringAi(KlusterStandIn standIn) {
		contextRunner(standIn).withClassLoader(new FilteredClassLoader(ChatModel.class))
			.run((context) -> assertThat(context).doesNotHaveBean(KlusterChatModel.class)
				.hasSingleBean(KlusterChatClient.class));
	}

	@Test
	void applicationsOwnKlusterChatModelIsKept(KlusterStandIn standIn) {
		contextRunner(standIn).withUserConfiguration(OwnChatModel.class)
			.run((context) -> assertThat(context).getBean(KlusterChatModel.class)
				.isSameAs(context.getBean("ownChatModel")));
	}

	@Test
	void validationSettingsOfTheStarterApply(KlusterStandIn standIn) {
		contextRunner(standIn).withPropertyValues("kluster.validation.unsupported-request-parameters=temperature")
			.run((context) -> {
				ChatClient chatClient = ChatClient.create(context.getBean(ChatModel.class));
				int before = standIn.requestCount();
				assertThatExceptionOfType(KlusterValidationException.class)
					.isThrownBy(() -> chatClient.prompt()
						.options(ChatOptions.builder().temperature(0.5))
						.user("Hi")
						.call()
						.content())
					.withMessageContaining("temperature");
				assertThat(standIn.requestCount()).isEqualTo(before);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnChatModel {

		@Bean
		KlusterChatModel ownChatModel(KlusterChatClient client) {
			return KlusterChatModel.builder(client).build();
		}

	}

}
