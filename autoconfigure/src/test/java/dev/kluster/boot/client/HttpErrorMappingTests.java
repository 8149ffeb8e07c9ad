package dev.kluster.boot.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import dev.kluster.boot.error.KlusterApiException;
import dev.kluster.boot.error.KlusterAuthenticationException;
import dev.kluster.boot.error.KlusterBadRequestException;
import dev.kluster.boot.error.KlusterNotFoundException;
import dev.kluster.boot.error.KlusterPermissionDeniedException;
import dev.kluster.boot.error.KlusterRateLimitException;
import dev.kluster.boot.error.KlusterServerException;
import dev.kluster.boot.transport.HttpErrorMapper;
import dev.kluster.boot.transport.RetryAfter;
import dev.kluster.boot.transport.KlusterConnection;
import dev.kluster.boot.transport.KlusterTimeouts;
import dev.kluster.boot.transport.KlusterRetry;

/**
 * Tests for the mapping of HTTP error answers by {@link HttpErrorMapper}, end to end
 * through {@link DefaultKlusterChatClient}.
 */
class HttpErrorMappingTests {

	private static final String OPENAI_ERROR = """
			{"error":{"message":"Invalid value for temperature","type":"invalid_request_error",
			 "param":"temperature","code":"invalid_value"}}""";

	private final JsonMapper jsonMapper = JsonMapper.shared();

	@RegisterExtension
	final MockKlusterServer server = new MockKlusterServer();

	private Throwable chatFailure() {
		KlusterConnection connection = KlusterConnection.builder()
			.webClient(WebClient.create())
			.baseUrl(this.server.baseUrl())
			.jsonMapper(this.jsonMapper)
			.build();
		KlusterChatClient client = DefaultKlusterChatClient.builder(connection)
			.defaults(ChatDefaults.model("m"))
			.timeouts(KlusterTimeouts.of(Duration.ofSeconds(10)))
			.retry(KlusterRetry.none())
			.build();
		return catchThrowable(() -> client.chat("Hi").block(Duration.ofSeconds(10)));
	}

	@ParameterizedTest
	@CsvSource({ "400, KlusterBadRequestException", "422, KlusterBadRequestException",
			"401, KlusterAuthenticationException", "403, KlusterPermissionDeniedException",
			"404, KlusterNotFoundException", "429, KlusterRateLimitException", "500, KlusterServerException",
			"503, KlusterServerException", "409, KlusterApiException" })
	void statusMapsToItsExceptionTypeKeepingTheErrorFieldsAndRequestId(int status, String type) {
		this.server.enqueue(new MockResponse.Builder().code(status)
			.setHeader("Content-Type", "application/json")
			.setHeader("x-request-id", "req_42")
			.body(OPENAI_ERROR)
			.build());
		Throwable failure = chatFailure();
		assertThat(failure.getClass().getSimpleName()).isEqualTo(type);
		KlusterApiException api = (KlusterApiException) failure;
		assertThat(api.statusCode()).isEqualTo(status);
		assertThat(api.requestId()).isEqualTo("req_42");
		assertThat(api.error().message()).isEqualTo("Invalid value for temperature");
		assertThat(api.error().type()).isEqualTo("invalid_request_error");
		assertThat(api.error().param()).isEqualTo("temperature");
		assertThat(api.error().code()).isEqualTo("invalid_value");
		assertThat(api).hasMessageContaining("HTTP " + status)
			.hasMessageContaining("Invalid value for temperature")
			.hasMessageContaining("req_42");
	}

	@Test
	void rateLimitKeepsRetryAfterInSeconds() {
		this.server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "7").body(OPENAI_ERROR).build());
		assertThat(chatFailure()).isInstanceOfSatisfying(KlusterRateLimitException.class,
				(ex) -> assertThat(ex.retryAfter()).contains(Duration.ofSeconds(7)));
	}

	@Test
	void rateLimitWithoutRetryAfterHasNone() {
		this.server.enqueue(new MockResponse.Builder().code(429).body(OPENAI_ERROR).build());
		assertThat(chatFailure()).isInstanceOfSatisfying(KlusterRateLimitException.class,
				(ex) -> assertThat(ex.retryAfter()).isEmpty());
	}

	@Test
	void retryAfterAsHttpDateIsMeasuredAgainstTheClock() {
		Instant now = Instant.parse("2026-11-25T12:00:00Z");
		String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(now.plusSeconds(30), ZoneOffset.UTC));
		assertThat(RetryAfter.parse(date, Clock.fixed(now, ZoneOffset.UTC))).isEqualTo(Duration.ofSeconds(30));
		assertThat(RetryAfter.parse(date, Clock.fixed(now.plusSeconds(60), ZoneOffset.UTC))).isEqualTo(Duration.ZERO);
		assertThat(RetryAfter.parse("soon", Clock.systemUTC())).isNull();
		assertThat(RetryAfter.parse(null, Clock.systemUTC())).isNull();
	}

	@Test
	void htmlFromAGatewayBecomesAReadableMessage() {
		this.server.enqueue(new MockResponse.Builder().code(502)
			.setHeader("Content-Type", "text/html")
			.body("<html><head><style>body{color:red}</style><title>502 Bad Gateway</title></head>"
					+ "<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>")
			.build());
		Throwable failure = chatFailure();
		assertThat(failure).isInstanceOf(KlusterServerException.class)
			.hasMessageContaining("non-JSON body: 502 Bad Gateway 502 Bad Gateway nginx")
			.hasMessageNotContaining("<")
			.hasMessageNotContaining("color:red");
		assertThat(((KlusterApiException) failure).error().type()).isNull();
	}

	@Test
	void flatVllmStyleErrorBodyIsRead() {
		this.server.enqueueJson(400,
				"{\"object\":\"error\",\"message\":\"max_tokens is too large\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}");
		assertThat(chatFailure()).isInstanceOfSatisfying(KlusterBadRequestException.class, (ex) -> {
			assertThat(ex.error().message()).isEqualTo("max_tokens is too large");
			assertThat(ex.error().type()).isEqualTo("BadRequestError");
			assertThat(ex.error().code()).isEqualTo("400");
			assertThat(ex.error().param()).isNull();
		});
	}

	@Test
	void emptyErrorBodyIsNamedAsSuch() {
		this.server.enqueue(new MockResponse.Builder().code(500).build());
		assertThat(chatFailure()).isInstanceOf(KlusterServerException.class).hasMessageContaining("empty body");
	}

	@Test
	void longPlainTextBodyIsShortened() {
		KlusterApiException ex = new HttpErrorMapper(this.jsonMapper, Clock.systemUTC()).toException(500,
				new HttpHeaders(), "x".repeat(5000));
		assertThat(ex.error().message()).hasSizeLessThan(400).endsWith("...");
	}

}
