package dev.kluster.docs.gettingstarted;

// tag::own-validator[]
import java.util.List;

import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.validation.KlusterRequestValidator;
import dev.kluster.boot.validation.KlusterValidationException;
import dev.kluster.boot.validation.RequestValidator;
import dev.kluster.boot.validation.ValidationPolicy;
import dev.kluster.boot.validation.Violation;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ValidationConfig {

	@Bean
	RequestValidator requestValidator() {
		KlusterRequestValidator klusterRules = new KlusterRequestValidator(
				ValidationPolicy.defaults().allowing("tools", "tool_choice", "messages[].tool_calls"));
		return request -> {
			ChatCompletionRequest checked = klusterRules.validate(request);
			if (checked.user() == null) {
				throw new KlusterValidationException(List.of(
						new Violation("user", "is required by this application", "set user(...) to the caller's id")));
			}
			return checked;
		};
	}
}
// end::own-validator[]
