package dev.kluster.boot.autoconfigure;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.kluster.boot.client.DefaultKlusterChatClient;
import dev.kluster.boot.client.DefaultKlusterEmbeddingClient;
import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.client.KlusterEmbeddingClient;
import dev.kluster.boot.transport.KlusterConnection;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.log.LogMessage;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Warms the kluster.ai client up once the application is ready, on a daemon thread of its
 * own, so that the first call does not wait for what would otherwise be made on it: the
 * embedding client's {@link DefaultKlusterEmbeddingClient#warmUp() warm-up}, the chat
 * client's {@link DefaultKlusterChatClient#warmUp() warm-up} and the connection's
 * {@link KlusterConnection#warmUp() warm-up}. Nothing is sent to kluster.ai.
 * <p>
 * Not during the refresh, which stays as short as without it, and not after the context
 * began to close: closing waits for a warm-up under way, so that the warm-up never makes
 * a bean, or starts Reactor Netty's resources, that the closing context has already let
 * go of. A failure is logged at {@code DEBUG} and does not concern the application: the
 * first call makes what is missing, and meets the failure itself if it lasts.
 */
final class KlusterWarmUp implements SmartApplicationListener, ApplicationContextAware {

	private static final Log logger = LogFactory.getLog(KlusterWarmUp.class);

	// Longest wait of a closing context for a warm-up under way, which takes about a
	// second on a slow machine.
	private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

	private final ObjectProvider<KlusterConnection> connection;

	private final ObjectProvider<KlusterChatClient> chatClient;

	private final ObjectProvider<KlusterEmbeddingClient> embeddingClient;

	private @Nullable ApplicationContext context;

	private @Nullable Future<?> warmUp;

	private boolean closed;

	KlusterWarmUp(ObjectProvider<KlusterConnection> connection, ObjectProvider<KlusterChatClient> chatClient,
			ObjectProvider<KlusterEmbeddingClient> embeddingClient) {
		this.connection = connection;
		this.chatClient = chatClient;
		this.embeddingClient = embeddingClient;
	}

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
		return ApplicationReadyEvent.class.isAssignableFrom(eventType)
				|| ContextClosedEvent.class.isAssignableFrom(eventType);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationReadyEvent) {
			start();
		}
		// Not a child context's, which reaches this context's listeners too.
		else if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == this.context) {
			awaitEnd();
		}
	}

	// Once, though a child context's ready event reaches its parent's listeners too.
	private synchronized void start() {
		if (this.warmUp == null && !this.closed) {
			SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("kluster-warm-up-");
			executor.setDaemon(true);
			this.warmUp = executor.submit(this::warmUp);
		}
	}

	private void awaitEnd() {
		Future<?> warmUp;
		synchronized (this) {
			this.closed = true;
			warmUp = this.warmUp;
		}
		if (warmUp == null) {
			return;
		}
		try {
			warmUp.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.debug("The kluster.ai client's warm-up had not ended when the context closed", ex);
		}
	}

	private void warmUp() {
		long start = System.nanoTime();
		try {
			// The clients first, the chat client last: it warms its connection up last, and
			// the auto-configured connection's isWarm() then tells that the whole warm-up is
			// done.
			if (this.embeddingClient.getIfUnique() instanceof DefaultKlusterEmbeddingClient embeddingClient) {
				embeddingClient.warmUp();
			}
			if (this.chatClient.getIfUnique() instanceof DefaultKlusterChatClient chatClient) {
				chatClient.warmUp();
			}
			KlusterConnection connection = this.connection.getIfUnique();
			if (connection != null) {
				connection.warmUp();
			}
			logger.debug(LogMessage.format("Warmed the kluster.ai client up in %d ms",
					TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
		}
		catch (RuntimeException | LinkageError ex) {
			logger.debug("Could not warm the kluster.ai client up; its first call makes what is missing", ex);
		}
	}

}
