package dev.kluster.boot.error;

import java.net.URI;

/**
 * kluster.ai answered a request that has a body (a prompt, a batch upload) with a
 * redirect to another origin (another scheme, host or port), and the request was not sent
 * there: a redirect to another origin is followed only for requests without a body,
 * unless {@code kluster.follow-cross-origin-redirects} is set. Never retried.
 *
 * @since 0.1.0
 */
public class KlusterRedirectException extends KlusterException {

	/** Property that allows following such redirects. */
	public static final String PROPERTY = "kluster.follow-cross-origin-redirects";

	private final URI location;

	/**
	 * Create the exception.
	 * @param location where kluster.ai redirected the request to
	 */
	public KlusterRedirectException(URI location) {
		super("kluster.ai redirected the request to another origin, " + location
				+ ", where its body was not sent; set " + PROPERTY + "=true to follow such redirects");
		this.location = location;
	}

	/**
	 * Where kluster.ai redirected the request to.
	 * @return the target of the redirect
	 */
	public URI location() {
		return this.location;
	}

}
