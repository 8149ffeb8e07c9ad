package dev.kluster.boot.autoconfigure;

import java.time.Duration;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The one Redis connection of the shared budgets and slots, opened on the Lettuce client
 * of Spring Boot's {@link LettuceConnectionFactory} (so {@code spring.data.redis.*}
 * applies) in the background when the bean is made, and opened again by the next call
 * after an attempt failed. Lettuce
 * reconnects an open connection by itself when Redis comes back.
 */
final class KlusterRedis implements DisposableBean {

	private final Mono<StatefulRedisConnection<byte[], byte[]>> connection;

	private volatile @Nullable StatefulRedisConnection<byte[], byte[]> opened;

	KlusterRedis(LettuceConnectionFactory connectionFactory) {
		// Lettuce opens connections blocking; off the event loops, once.
		this.connection = Mono.fromCallable(() -> open(connectionFactory.getRequiredNativeClient()))
			.subscribeOn(Schedulers.boundedElastic())
			.cache((made) -> Duration.ofMillis(Long.MAX_VALUE), (ex) -> Duration.ZERO, () -> Duration.ZERO);
		// Opened now, in the background, so that the first call does not pay for it within
		// kluster.rate-limit.store-timeout; a failure is retried by the first call.
		this.connection.subscribe(null, (ex) -> {
		});
	}

	private StatefulRedisConnection<byte[], byte[]> open(AbstractRedisClient client) {
		if (!(client instanceof RedisClient redisClient)) {
			throw new IllegalStateException("kluster.rate-limit.store=redis needs a standalone Redis (spring.data.redis.host), "
					+ "not " + client.getClass().getSimpleName());
		}
		StatefulRedisConnection<byte[], byte[]> connection = redisClient.connect(ByteArrayCodec.INSTANCE);
		this.opened = connection;
		return connection;
	}

	Mono<StatefulRedisConnection<byte[], byte[]>> connection() {
		return this.connection;
	}

	@Override
	public void destroy() {
		StatefulRedisConnection<byte[], byte[]> connection = this.opened;
		if (connection != null) {
			connection.close();
		}
	}

}
