package dev.kluster.boot.observation;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.Propagator;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;

/**
 * What every kluster.ai call observation knows: it is a client call to the provider
 * {@value #PROVIDER}, at a server address and port.
 *
 * @since 0.1.0
 */
public abstract class KlusterObservationContext extends SenderContext<Object> {

	/** Provider name of every kluster.ai call. */
	public static final String PROVIDER = "kluster";

	// The HTTP child observation propagates the trace; this span has nothing to write to.
	private static final Propagator.Setter<Object> NO_CARRIER = (carrier, key, value) -> {
	};

	private @Nullable String serverAddress;

	private int serverPort = -1;

	protected KlusterObservationContext() {
		super(NO_CARRIER, Kind.CLIENT);
		setRemoteServiceName(PROVIDER);
	}

	/**
	 * The provider, the value of {@code gen_ai.provider.name}.
	 * @return {@value #PROVIDER}
	 */
	public String getProviderName() {
		return PROVIDER;
	}

	/**
	 * Host name of the kluster.ai API.
	 * @return the host, or {@code null} when unknown
	 */
	public @Nullable String getServerAddress() {
		return this.serverAddress;
	}

	/**
	 * Port of the kluster.ai API.
	 * @return the port, or {@code -1} when unknown
	 */
	public int getServerPort() {
		return this.serverPort;
	}

	/**
	 * Set where the API is.
	 * @param address the host name
	 * @param port the port
	 */
	public void setServer(@Nullable String address, int port) {
		this.serverAddress = address;
		this.serverPort = port;
	}

}
