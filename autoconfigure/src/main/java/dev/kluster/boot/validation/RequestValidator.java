package dev.kluster.boot.validation;

import dev.kluster.boot.model.ChatCompletionRequest;

/**
 * Checks a chat completion request before it is sent to kluster.ai. The auto-configured
 * {@link KlusterRequestValidator} enforces a {@link ValidationPolicy}; define a bean of
 * this type to replace it, for example to add rules of your own or to delegate to the
 * default one and then adjust the request.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface RequestValidator {

	/**
	 * Validate a request.
	 * @param request the request about to be sent
	 * @return the request to send: the given one, or a copy without the parameters that
	 * were dropped
	 * @throws KlusterValidationException if the request must not be sent
	 */
	ChatCompletionRequest validate(ChatCompletionRequest request);

}
