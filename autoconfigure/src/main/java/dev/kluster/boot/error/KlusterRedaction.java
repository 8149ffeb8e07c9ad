package dev.kluster.boot.error;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * Removes the API key from text that came from the server before it goes into an
 * exception message, a log line or an observation. A server, or a gateway in front of
 * it, may echo the request's {@code Authorization} header in an error body, an error
 * event of a stream or an answer that cannot be parsed; every such text passes through
 * here. The configured key is replaced with {@code ***} wherever it appears, and any
 * {@code Bearer <token>} with {@code Bearer ***}, so that even a client that does not know
 * its key (one built by hand) drops an echoed header.
 * <p>
 * A library exception whose message quotes server text (a JSON parse failure quoting
 * the token it could not read, for example) is not attached as a cause as it is: it is
 * replaced by a stand-in that keeps its class name, its stack trace and its redacted
 * message, so that {@code printStackTrace()} shows no key either. An exception chain that
 * needs no redaction is attached unchanged.
 *
 * @since 0.1.0
 */
public final class KlusterRedaction {

	/** What replaces the key. */
	public static final String MASK = "***";

	private static final int MAX_EXCERPT = 200;

	// RFC 6750's b64token: the characters a bearer token is made of.
	private static final Pattern BEARER_TOKEN = Pattern.compile("(?i)\\b(bearer)\\s+[A-Za-z0-9\\-._~+/]+=*");

	private static final KlusterRedaction BEARER_TOKENS = new KlusterRedaction(null);

	private final @Nullable String apiKey;

	private KlusterRedaction(@Nullable String apiKey) {
		this.apiKey = apiKey;
	}

	/**
	 * A redaction of the given key and of every bearer token.
	 * @param apiKey the configured API key, or {@code null} when it is not known
	 * @return the redaction
	 */
	public static KlusterRedaction of(@Nullable String apiKey) {
		return StringUtils.hasText(apiKey) ? new KlusterRedaction(apiKey.strip()) : BEARER_TOKENS;
	}

	/**
	 * A redaction of bearer tokens only, for clients that do not know the key.
	 * @return the redaction
	 */
	public static KlusterRedaction bearerTokens() {
		return BEARER_TOKENS;
	}

	/**
	 * The beginning of a text from the server, redacted, for a message: redacted before
	 * it is cut, so that no part of a key is left at the cut.
	 * @param text text that came from the server
	 * @return the redacted text, shortened to 200 characters followed by {@code ...}
	 */
	public String excerpt(String text) {
		String redacted = redact(text);
		return (redacted.length() > MAX_EXCERPT) ? redacted.substring(0, MAX_EXCERPT) + "..." : redacted;
	}

	/**
	 * The text without the key and without bearer tokens.
	 * @param text text that came from the server, possibly {@code null}
	 * @return the redacted text, {@code null} for {@code null}
	 */
	public @Nullable String redact(@Nullable String text) {
		if (text == null || text.isEmpty()) {
			return text;
		}
		String redacted = (this.apiKey != null) ? text.replace(this.apiKey, MASK) : text;
		return BEARER_TOKEN.matcher(redacted).replaceAll("$1 " + MASK);
	}

	/**
	 * Whether a text holds the key or a bearer token.
	 * @param text the text, possibly {@code null}
	 * @return whether {@link #redact(String)} would change it
	 */
	public boolean needsRedaction(@Nullable String text) {
		return text != null && !text.isEmpty()
				&& ((this.apiKey != null && text.contains(this.apiKey)) || BEARER_TOKEN.matcher(text).find());
	}

	/**
	 * An exception that can be attached as a cause without carrying the key: the given
	 * one when no message of it, its causes and its suppressed exceptions holds the key or
	 * a bearer token, else a stand-in chain with redacted messages.
	 * @param ex the exception, possibly {@code null}
	 * @return {@code ex} or its redacted stand-in
	 */
	public @Nullable Throwable redact(@Nullable Throwable ex) {
		if (ex == null || !needsRedaction(ex, Collections.newSetFromMap(new IdentityHashMap<>()))) {
			return ex;
		}
		return standIn(ex, Collections.newSetFromMap(new IdentityHashMap<>()));
	}

	private boolean needsRedaction(Throwable ex, Set<Throwable> seen) {
		if (!seen.add(ex)) {
			return false;
		}
		if (needsRedaction(ex.getMessage()) || needsRedaction(ex.toString())) {
			return true;
		}
		for (Throwable suppressed : ex.getSuppressed()) {
			if (needsRedaction(suppressed, seen)) {
				return true;
			}
		}
		Throwable cause = ex.getCause();
		return cause != null && needsRedaction(cause, seen);
	}

	private @Nullable Throwable standIn(Throwable ex, Set<Throwable> seen) {
		if (!seen.add(ex)) {
			return null;
		}
		Throwable cause = ex.getCause();
		RedactedException standIn = new RedactedException(ex.getClass().getName(), redact(ex.getMessage()),
				(cause != null) ? standIn(cause, seen) : null);
		standIn.setStackTrace(ex.getStackTrace());
		for (Throwable suppressed : ex.getSuppressed()) {
			Throwable redacted = standIn(suppressed, seen);
			if (redacted != null) {
				standIn.addSuppressed(redacted);
			}
		}
		return standIn;
	}

	@Override
	public String toString() {
		return "KlusterRedaction[" + ((this.apiKey != null) ? "API key and " : "") + "bearer tokens]";
	}

	/**
	 * Stands in for an exception whose message held the key: same class name in its
	 * {@code toString()}, same stack trace, redacted message.
	 */
	private static final class RedactedException extends RuntimeException {

		private final String type;

		RedactedException(String type, @Nullable String message, @Nullable Throwable cause) {
			super(message, cause);
			this.type = type;
		}

		@Override
		public String toString() {
			String message = getLocalizedMessage();
			return this.type + " (message redacted)" + ((message != null) ? ": " + message : "");
		}

	}

}
