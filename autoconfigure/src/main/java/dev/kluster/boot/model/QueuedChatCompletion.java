package dev.kluster.boot.model;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A chat completion request that kluster.ai queued as a job
 * ({@code metadata["@kluster.ai"].async = true}) instead of answering. Its answer is not
 * here: kluster.ai runs it later, and its result is found among the batch jobs.
 *
 * @param id the id of the queued request's placeholder completion, {@code null} when
 * kluster.ai sent none
 * @param model the model that will answer
 * @param createdAt when it was queued
 * @param notice the placeholder text kluster.ai answered with, which says the request
 * was queued: it is not an answer to the prompt
 * @param requestId kluster.ai's id of the call ({@code x-request-id}), to quote to its
 * support
 * @since 0.1.0
 */
public record QueuedChatCompletion(@Nullable String id, @Nullable String model, @Nullable Instant createdAt, String notice,
		@Nullable String requestId) {
}
