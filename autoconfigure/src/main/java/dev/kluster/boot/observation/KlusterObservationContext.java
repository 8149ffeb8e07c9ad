package dev.kluster.boot.observation;

import java.util.Iterator;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
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

	// The low-cardinality key values as sorted KeyValues, or null when unknown. Meter
	// handlers ask for them at the start and the stop of every call, and Micrometer would
	// copy and sort them each time; the convention's sorted key values are what the
	// context holds whenever they cover the keys it held before.
	private volatile @Nullable KeyValues lowCardinalityKeyValues = KeyValues.empty();

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

	@Override
	public KeyValues getLowCardinalityKeyValues() {
		KeyValues keyValues = this.lowCardinalityKeyValues;
		if (keyValues == null) {
			keyValues = super.getLowCardinalityKeyValues();
			this.lowCardinalityKeyValues = keyValues;
		}
		return keyValues;
	}

	@Override
	public Observation.Context addLowCardinalityKeyValues(KeyValues keyValues) {
		KeyValues before = this.lowCardinalityKeyValues;
		super.addLowCardinalityKeyValues(keyValues);
		if (before != null && hasAllKeys(keyValues, before)) {
			this.lowCardinalityKeyValues = keyValues;
		}
		return this;
	}

	@Override
	public Observation.Context addLowCardinalityKeyValue(KeyValue keyValue) {
		this.lowCardinalityKeyValues = null;
		return super.addLowCardinalityKeyValue(keyValue);
	}

	@Override
	public Observation.Context removeLowCardinalityKeyValue(String keyName) {
		this.lowCardinalityKeyValues = null;
		return super.removeLowCardinalityKeyValue(keyName);
	}

	// Whether every key of the smaller set is in the larger one; both are sorted by key.
	private static boolean hasAllKeys(KeyValues larger, KeyValues smaller) {
		Iterator<KeyValue> candidates = larger.iterator();
		for (KeyValue keyValue : smaller) {
			boolean found = false;
			while (!found && candidates.hasNext()) {
				int order = candidates.next().getKey().compareTo(keyValue.getKey());
				if (order > 0) {
					return false;
				}
				found = (order == 0);
			}
			if (!found) {
				return false;
			}
		}
		return true;
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
