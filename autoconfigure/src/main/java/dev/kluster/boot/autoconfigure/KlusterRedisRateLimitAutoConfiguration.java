package dev.kluster.boot.autoconfigure;

import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;

import dev.kluster.boot.observation.KlusterRateLimitMeters;
import dev.kluster.boot.transport.KlusterRateLimit;
import dev.kluster.boot.transport.KlusterRateLimitStore;
import dev.kluster.boot.transport.KlusterStoreFailover;
import dev.kluster.boot.transport.LocalRateLimitStore;
import dev.kluster.boot.transport.RedisRateLimitStore;
import dev.kluster.boot.transport.RedisSlots;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import reactor.core.scheduler.Schedulers;

/**
 * {@link AutoConfiguration Auto-configuration} of budgets and concurrency slots shared by
 * every instance through Redis ({@code kluster.rate-limit.store=redis}), on the Lettuce
 * client of Spring Boot's Redis support, configured with {@code spring.data.redis.*}.
 * The requests and tokens per minute are Bucket4j buckets in Redis
 * ({@link RedisRateLimitStore}), the slots of {@code kluster.max-concurrent-requests}
 * leases that expire ({@link RedisSlots}); both are bounded by
 * {@code kluster.rate-limit.store-timeout} and fall back as
 * {@code kluster.rate-limit.on-store-failure} says.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = KlusterAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({ LettuceConnectionFactory.class, RedisClient.class, Bucket4jLettuce.class })
@ConditionalOnProperty(name = "kluster.rate-limit.store", havingValue = "redis")
@ConditionalOnBooleanProperty(name = "kluster.enabled", matchIfMissing = true)
@EnableConfigurationProperties(KlusterProperties.class)
public final class KlusterRedisRateLimitAutoConfiguration {

	@Bean
	KlusterRedis klusterRedis(RedisConnectionFactory connectionFactory) {
		if (!(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
			throw new IllegalStateException("kluster.rate-limit.store=redis needs Spring Boot's Lettuce client "
					+ "(spring.data.redis.client-type=lettuce), not " + connectionFactory.getClass().getSimpleName());
		}
		return new KlusterRedis(lettuce);
	}

	@Bean
	@ConditionalOnMissingBean
	KlusterStoreFailover klusterStoreFailover(KlusterProperties properties,
			ObjectProvider<KlusterRateLimitMeters> meters) {
		KlusterProperties.RateLimit rateLimit = properties.getRateLimit();
		KlusterPropertyChecks.rateLimit(rateLimit);
		return new KlusterStoreFailover(rateLimit.getOnStoreFailure(), rateLimit.getStoreTimeout(),
				Schedulers.parallel(), meters.getIfAvailable(() -> KlusterRateLimitMeters.NOOP));
	}

	@Bean
	@ConditionalOnMissingBean
	KlusterRateLimitStore klusterRateLimitStore(KlusterRedis redis, KlusterStoreFailover failover) {
		return failover.guard(
				new RedisRateLimitStore(redis.connection(), KlusterRateLimit.clockOf(Schedulers.parallel())),
				new LocalRateLimitStore(KlusterRateLimit.clockOf(Schedulers.parallel())));
	}

	@Bean
	@ConditionalOnMissingBean
	RedisSlots klusterRedisSlots(KlusterRedis redis, KlusterProperties properties) {
		KlusterProperties.RateLimit rateLimit = properties.getRateLimit();
		return new RedisSlots(redis.connection(), rateLimit.getKeyPrefix() + "slots", rateLimit.getLeaseTime(),
				Schedulers.parallel());
	}

}
