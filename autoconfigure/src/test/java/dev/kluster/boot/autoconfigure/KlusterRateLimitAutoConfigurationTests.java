package dev.kluster.boot.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.error.KlusterRateLimitWaitException;
import dev.kluster.boot.test.KlusterStandIn;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterRateLimit;
import dev.kluster.boot.transport.KlusterRateLimit.Limits;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests of the {@code kluster.rate-limit.*} part of {@link KlusterAutoConfiguration}.
 */
class KlusterRateLimitAutoConfigurationTests {

	private static final String MODEL = "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
				WebClientAutoConfiguration.class, KlusterAutoConfiguration.class,
				KlusterRedisRateLimitAutoConfiguration.class))
		.withPropertyValues("kluster.api-key=sk-rate-limit", "kluster.warm-up.enabled=false");

	@Test
	void noPacingUnlessABudgetIsConfigured() {
		this.contextRunner.withPropertyValues("kluster.rate-limit.max-wait=5s").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(KlusterRateLimit.class);
			assertThat(context.getBean(KlusterConnection.class).rateLimit()).isNull();
		});
	}

	@Test
	void budgetsFromProperties() {
		this.contextRunner
			.withPropertyValues("kluster.rate-limit.requests-per-minute=30", "kluster.rate-limit.max-wait=5s",
					"kluster.rate-limit.models[deepseek-ai/DeepSeek-R1].tokens-per-minute=100000")
			.run((context) -> {
				KlusterRateLimit rateLimit = context.getBean(KlusterRateLimit.class);
				assertThat(context.getBean(KlusterConnection.class).rateLimit()).isSameAs(rateLimit);
				assertThat(rateLimit.maxWait()).isEqualTo(Duration.ofSeconds(5));
				assertThat(rateLimit.limitsOf(MODEL)).isEqualTo(new Limits(30L, null));
				assertThat(rateLimit.limitsOf("deepseek-ai/DeepSeek-R1")).isEqualTo(new Limits(30L, 100000L));
			});
	}

	@Test
	void aBudgetOfOneModelAloneTurnsPacingOn() {
		this.contextRunner.withPropertyValues("kluster.rate-limit.models[deepseek-ai/DeepSeek-R1].requests-per-minute=10")
			.run((context) -> assertThat(context.getBean(KlusterRateLimit.class).limitsOf(MODEL)).isEqualTo(Limits.NONE));
	}

	@Test
	void aBudgetBelowOneFailsStartUp() {
		this.contextRunner.withPropertyValues("kluster.rate-limit.tokens-per-minute=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
						(ex) -> assertThat(ex.getName()).isEqualTo("kluster.rate-limit.tokens-per-minute")));
	}

	@Test
	void aBudgetAboveOneTokenPerNanosecondFailsStartUp() {
		this.contextRunner.withPropertyValues("kluster.rate-limit.models[m].tokens-per-minute=60000000001")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
						(ex) -> assertThat(ex.getName()).isEqualTo("kluster.rate-limit.models[m].tokens-per-minute")));
	}

	@Test
	void aNegativeMaximumWaitFailsStartUp() {
		this.contextRunner.withPropertyValues("kluster.rate-limit.requests-per-minute=30", "kluster.rate-limit.max-wait=-1s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
						(ex) -> assertThat(ex.getName()).isEqualTo("kluster.rate-limit.max-wait")));
	}

	@Test
	void theRedisStoreIsLeftOutUnlessAsked() {
		this.contextRunner.withPropertyValues("kluster.rate-limit.requests-per-minute=30")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(dev.kluster.boot.transport.KlusterRateLimitStore.class)
				.doesNotHaveBean(dev.kluster.boot.transport.RedisSlots.class));
	}

	@Test
	void theRedisStoreWithoutRedisSupportFailsStartUp() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
					WebClientAutoConfiguration.class, KlusterAutoConfiguration.class))
			.withPropertyValues("kluster.api-key=sk-rate-limit", "kluster.rate-limit.requests-per-minute=30",
					"kluster.rate-limit.store=redis")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
					assertThat(ex.getName()).isEqualTo("kluster.rate-limit.store");
					assertThat(ex.getMessage()).contains("spring-boot-starter-data-redis");
				}));
	}

	@Test
	void aCallOverTheBudgetIsRefusedWithoutReachingKluster() {
		try (KlusterStandIn standIn = KlusterStandIn.start()) {
			this.contextRunner
				.withPropertyValues("kluster.base-url=" + standIn.baseUrl(), "kluster.rate-limit.requests-per-minute=1",
						"kluster.rate-limit.max-wait=0s")
				.run((context) -> {
					KlusterChatClient client = context.getBean(KlusterChatClient.class);
					assertThat(client.chat("Hello").block(Duration.ofSeconds(10))).isNotEmpty();
					Throwable failure = catchThrowable(() -> client.chat("Hello").block(Duration.ofSeconds(10)));
					assertThat(failure).isInstanceOfSatisfying(KlusterRateLimitWaitException.class, (ex) -> {
						assertThat(ex.budget()).isEqualTo("kluster.rate-limit.requests-per-minute");
						assertThat(ex.model()).isEqualTo(MODEL);
						// Up to the minute the one request of the budget takes to come back.
						assertThat(ex.waitNeeded()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
					});
					assertThat(standIn.requestCount()).isEqualTo(1);
				});
		}
	}

	@Test
	void theChatClientMarksItsRequestsWithTheirModelAndTokenEstimate() {
		try (KlusterStandIn standIn = KlusterStandIn.start()) {
			this.contextRunner
				.withPropertyValues("kluster.base-url=" + standIn.baseUrl(), "kluster.rate-limit.tokens-per-minute=1000",
						"kluster.rate-limit.max-wait=0s", "kluster.chat.max-completion-tokens=900")
				.run((context) -> {
					KlusterChatClient client = context.getBean(KlusterChatClient.class);
					// About 900 tokens reserved, corrected to the few the stand-in reports.
					assertThat(client.chat("Hello").block(Duration.ofSeconds(10))).isNotEmpty();
					assertThat(client.chat("Hello").block(Duration.ofSeconds(10))).isNotEmpty();
					// Without the correction the third would not fit.
					assertThat(client.chat("Hello").block(Duration.ofSeconds(10))).isNotEmpty();
					KlusterRateLimit.Remaining left = context.getBean(KlusterRateLimit.class)
						.remaining(MODEL)
						.block(Duration.ofSeconds(10));
					assertThat(left.tokens()).isGreaterThan(500L);
				});
		}
	}

}
