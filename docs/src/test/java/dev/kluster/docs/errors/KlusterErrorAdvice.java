package dev.kluster.docs.errors;

// tag::errors-advice[]
import dev.kluster.boot.error.KlusterApiException;
import dev.kluster.boot.error.KlusterRateLimitException;
import dev.kluster.boot.validation.KlusterValidationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

@RestControllerAdvice
class KlusterErrorAdvice {

	@ExceptionHandler
	ResponseEntity<String> invalid(KlusterValidationException ex) {
		return ResponseEntity.badRequest().body(String.join(", ", ex.paths()));
	}

	@ExceptionHandler
	ResponseEntity<String> rateLimited(KlusterRateLimitException ex) {
		ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE);
		ex.retryAfter().ifPresent(wait -> response.header(HttpHeaders.RETRY_AFTER, Long.toString(wait.toSeconds())));
		return response.body("Too many requests to the model; try again later.");
	}

	@ExceptionHandler
	ResponseEntity<String> upstream(KlusterApiException ex) {
		return ResponseEntity.status(HttpStatus.BAD_GATEWAY)
			.body("Model call failed (request id " + ex.requestId() + ")");
	}
}
// end::errors-advice[]
