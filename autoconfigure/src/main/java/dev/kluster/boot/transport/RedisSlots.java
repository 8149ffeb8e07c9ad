package dev.kluster.boot.transport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.util.Assert;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The slots of {@code kluster.max-concurrent-requests} shared through Redis: each slot is
 * a lease, a member of a sorted set scored by its expiry, that its request renews every
 * third of the lease time while it runs and removes when it ends, so that the slots of an
 * instance that died come back once their leases expire.
 * <p>
 * Taking a slot is a Lua script, as Redis runs a script atomically: it drops the expired
 * leases, counts the others and adds one when fewer than the limit are held, reading the
 * time from Redis itself, so that the instances' clocks need not agree. No library fits
 * here: Redisson's {@code RPermitExpirableSemaphore} runs on Redisson's own Redis client,
 * not on the Lettuce client Spring Boot configures from {@code spring.data.redis.*}, and
 * Bucket4j has no semaphores. Renewing and removing are single commands or scripts too.
 *
 * @since 0.1.0
 */
public final class RedisSlots {

	// KEYS[1] the set of leases; ARGV[1] the limit, ARGV[2] the lease time in ms, ARGV[3] the lease.
	private static final String ACQUIRE = """
			local time = redis.call('TIME')
			local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
			if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
				redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
				redis.call('PEXPIRE', KEYS[1], ARGV[2])
				return 1
			end
			return 0
			""";

	// KEYS[1] the set of leases; ARGV[1] the lease time in ms, ARGV[2] the lease.
	private static final String RENEW = """
			local time = redis.call('TIME')
			local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
			if redis.call('ZSCORE', KEYS[1], ARGV[2]) then
				redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[2])
				redis.call('PEXPIRE', KEYS[1], ARGV[1])
				return 1
			end
			return 0
			""";

	private final Mono<StatefulRedisConnection<byte[], byte[]>> connection;

	private final byte[] key;

	private final Duration leaseTime;

	private final Scheduler scheduler;

	private final AtomicInteger held = new AtomicInteger();

	/**
	 * Create the slots.
	 * @param connection the connection to Redis, asked for on each operation
	 * @param key the key of the set of leases, the same for every instance sharing them
	 * @param leaseTime life of a lease that is not renewed
	 * @param scheduler the scheduler that renewals run on
	 */
	public RedisSlots(Mono<StatefulRedisConnection<byte[], byte[]>> connection, String key, Duration leaseTime,
			Scheduler scheduler) {
		Assert.isTrue(leaseTime.toMillis() >= 3, "leaseTime must be at least 3 ms");
		this.connection = connection;
		this.key = key.getBytes(StandardCharsets.UTF_8);
		this.leaseTime = leaseTime;
		this.scheduler = scheduler;
	}

	/**
	 * Take a slot when fewer than the limit are held by all instances together.
	 * @param max the limit
	 * @return the lease, empty when every slot is held
	 */
	public Mono<Lease> tryAcquire(int max) {
		byte[] id = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
		return this.connection
			.flatMap((redis) -> redis.reactive()
				.<Long>eval(ACQUIRE, ScriptOutputType.INTEGER, new byte[][] { this.key }, bytes(max),
						bytes(this.leaseTime.toMillis()), id)
				.next())
			.filter((taken) -> taken == 1L)
			.map((taken) -> new Lease(id));
	}

	/**
	 * Slots this instance holds now.
	 * @return the number of leases held here
	 */
	public int held() {
		return this.held.get();
	}

	private static byte[] bytes(long value) {
		return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * A slot held; {@link #release()} gives it back.
	 */
	public final class Lease {

		private final byte[] id;

		private final Disposable renewal;

		private final AtomicBoolean released = new AtomicBoolean();

		Lease(byte[] id) {
			this.id = id;
			RedisSlots.this.held.incrementAndGet();
			Duration every = RedisSlots.this.leaseTime.dividedBy(3);
			// A renewal that fails is tried again at the next tick; the lease lives on until
			// its expiry meanwhile.
			this.renewal = Flux.interval(every, every, RedisSlots.this.scheduler)
				.concatMap((tick) -> RedisSlots.this.connection
					.flatMap((redis) -> redis.reactive()
						.<Long>eval(RENEW, ScriptOutputType.INTEGER, new byte[][] { RedisSlots.this.key },
								bytes(RedisSlots.this.leaseTime.toMillis()), this.id)
						.next())
					.onErrorResume((ex) -> Mono.empty()))
				.subscribe();
		}

		/**
		 * Give the slot back; once only, whatever the number of calls.
		 */
		public void release() {
			if (this.released.compareAndSet(false, true)) {
				this.renewal.dispose();
				RedisSlots.this.held.decrementAndGet();
				RedisSlots.this.connection.flatMap((redis) -> redis.reactive().zrem(RedisSlots.this.key, this.id))
					.onErrorResume((ex) -> Mono.empty())
					.subscribe();
			}
		}

	}

}
