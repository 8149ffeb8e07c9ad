package dev.kluster.boot.observation;

import io.micrometer.common.KeyValue;
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

	private Server server = Server.UNKNOWN;

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
		return this.server.address();
	}

	/**
	 * Port of the kluster.ai API.
	 * @return the port, or {@code -1} when unknown
	 */
	public int getServerPort() {
		return this.server.port();
	}

	/**
	 * Set where the API is.
	 * @param address the host name
	 * @param port the port
	 */
	public void setServer(@Nullable String address, int port) {
		this.server = new Server(address, port);
	}

	// The key values of the server are made once per connection rather than on every
	// start and stop of every call.
	void setServer(Server server) {
		this.server = server;
	}

	Server getServer() {
		return this.server;
	}

	/**
	 * Where the API is, with its key values.
	 *
	 * @param address the host name, or {@code null} when unknown
	 * @param port the port, or {@code -1} when unknown
	 * @param addressKeyValue {@code server.address}, or {@code null} when unknown
	 * @param portKeyValue {@code server.port}, or {@code null} when unknown
	 */
	record Server(@Nullable String address, int port, @Nullable KeyValue addressKeyValue,
			@Nullable KeyValue portKeyValue) {

		static final Server UNKNOWN = new Server(null, -1);

		Server(@Nullable String address, int port) {
			this(address, port,
					(address != null) ? KeyValue.of(KlusterObservationDocumentation.LowCardinalityKeyNames.SERVER_ADDRESS,
							address) : null,
					(port > 0) ? KeyValue.of(KlusterObservationDocumentation.LowCardinalityKeyNames.SERVER_PORT,
							Integer.toString(port)) : null);
		}

	}

}
