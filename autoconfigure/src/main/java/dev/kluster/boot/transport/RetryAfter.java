package dev.kluster.boot.transport;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

/**
 * Reads an HTTP {@code Retry-After} value, which is either a number of seconds or an HTTP
 * date (RFC 9110).
 *
 * @since 0.1.0
 */
public final class RetryAfter {

	private RetryAfter() {
	}

	/**
	 * Parse a {@code Retry-After} value.
	 * @param value the header value, may be {@code null}
	 * @param clock clock that an HTTP date is measured against
	 * @return how long to wait (zero for a date in the past), or {@code null} when the
	 * value is absent or unreadable
	 */
	public static @Nullable Duration parse(@Nullable String value, Clock clock) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String trimmed = value.trim();
		try {
			long seconds = Long.parseLong(trimmed);
			return (seconds >= 0) ? Duration.ofSeconds(seconds) : null;
		}
		catch (NumberFormatException notSeconds) {
			try {
				ZonedDateTime at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
				Duration wait = Duration.between(clock.instant(), at.toInstant());
				return wait.isNegative() ? Duration.ZERO : wait;
			}
			catch (DateTimeParseException notDate) {
				return null;
			}
		}
	}

}
