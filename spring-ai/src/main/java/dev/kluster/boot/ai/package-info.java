/**
 * kluster.ai as a Spring AI model provider: {@link dev.kluster.boot.ai.KlusterChatModel}
 * and its {@link dev.kluster.boot.ai.KlusterChatOptions}, and
 * {@link dev.kluster.boot.ai.KlusterEmbeddingModel}, on the starter's clients. Free of
 * Spring Boot, like the clients.
 */
@NullMarked
package dev.kluster.boot.ai;

import org.jspecify.annotations.NullMarked;
