package dev.kluster.sample;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.kluster.boot.test.KlusterStandIn;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * kluster.ai answers 429 when a plan's limits are passed. In stand-in mode the sample's
 * first chat call is answered that way too ({@code sample.stand-in.rate-limit-first-chat},
 * on by default), so that its log shows the starter retrying it into a success.
 */
@Component
class FirstChatRateLimit {

	private final AtomicBoolean pending;

	private final ObjectProvider<KlusterStandIn> standIn;

	FirstChatRateLimit(ObjectProvider<KlusterStandIn> standIn, Environment environment) {
		this.standIn = standIn;
		this.pending = new AtomicBoolean(
				environment.getProperty("sample.stand-in.rate-limit-first-chat", Boolean.class, true));
	}

	void beforeChat() {
		KlusterStandIn server = this.standIn.getIfAvailable();
		if (server != null && this.pending.compareAndSet(true, false)) {
			server.rateLimitNext(Duration.ofSeconds(1));
		}
	}

}
