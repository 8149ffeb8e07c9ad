package dev.kluster.boot.validation;

import dev.kluster.boot.model.EmbeddingRequest;

/**
 * Checks an embedding request before it is sent to kluster.ai. The auto-configured
 * {@link KlusterEmbeddingRequestValidator} enforces the same {@link ValidationPolicy} as
 * chat validation; define a bean of this type to replace it.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface EmbeddingRequestValidator {

	/**
	 * Validate a request.
	 * @param request the request about to be sent
	 * @return the request to send: the given one, or a copy without the parameters that
	 * were dropped
	 * @throws KlusterValidationException if the request must not be sent
	 */
	EmbeddingRequest validate(EmbeddingRequest request);

}
