package dev.kluster.boot.error;

import org.jspecify.annotations.Nullable;

/**
 * Contents of an error answer. For an OpenAI-style body ({@code {"error": {...}}}) the
 * fields are those of the body; for any other body (plain text, a gateway's HTML page) the
 * message is a readable excerpt of it and the other fields are {@code null}.
 *
 * @param message human-readable description
 * @param type OpenAI error type, for example {@code invalid_request_error}
 * @param param the request parameter the error is about
 * @param code OpenAI error code
 * @since 0.1.0
 */
public record ApiError(String message, @Nullable String type, @Nullable String param, @Nullable String code) {
}
