package dev.kluster.boot.validation;

/**
 * What validation does with a request that breaks kluster.ai's rules.
 *
 * @since 0.1.0
 * @see ValidationPolicy
 */
public enum ValidationMode {

	/**
	 * Fail with a {@link KlusterValidationException} that lists every violation. The
	 * default.
	 */
	REJECT,

	/**
	 * Remove unsupported parameters from the request and log a warning for each one.
	 * Values out of range still fail, since there is no value that could be sent in their
	 * place.
	 */
	DROP,

	/**
	 * No client-side validation: the request goes out unchanged and kluster.ai decides.
	 */
	OFF

}
