package dev.kluster.sample;

import java.util.List;
import java.util.Map;

import dev.kluster.boot.error.KlusterApiException;
import dev.kluster.boot.error.KlusterException;
import dev.kluster.boot.error.KlusterTimeoutException;
import dev.kluster.boot.validation.KlusterValidationException;
import dev.kluster.boot.validation.Violation;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns the client's typed exceptions into RFC 9457 problem details, for the REST
 * endpoints and for the {@code problem} event of a stream.
 */
@RestControllerAdvice
class ChatErrors {

	@ExceptionHandler(KlusterException.class)
	ResponseEntity<ProblemDetail> handle(KlusterException ex) {
		ProblemDetail problem = toProblem(ex);
		return ResponseEntity.status(problem.getStatus()).body(problem);
	}

	ProblemDetail toProblem(Throwable ex) {
		if (ex instanceof KlusterValidationException validation) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, validation.getMessage());
			problem.setTitle("Request breaks kluster.ai's rules: nothing was sent");
			problem.setProperty("violations", violations(validation.violations()));
			return problem;
		}
		if (ex instanceof KlusterApiException api) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, api.getMessage());
			problem.setTitle("kluster.ai answered with an error");
			problem.setProperty("upstreamStatus", api.statusCode());
			return problem;
		}
		if (ex instanceof KlusterTimeoutException timeout) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.GATEWAY_TIMEOUT, timeout.getMessage());
			problem.setTitle("kluster.ai did not answer in time");
			return problem;
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
				(ex instanceof KlusterException) ? ex.getMessage() : "Unexpected failure: " + ex.getClass().getSimpleName());
		problem.setTitle("Call to kluster.ai failed");
		return problem;
	}

	private static List<Map<String, String>> violations(List<Violation> violations) {
		return violations.stream()
			.map((violation) -> Map.of("path", violation.path(), "message", violation.message(), "hint",
					(violation.hint() != null) ? violation.hint() : ""))
			.toList();
	}

}
