package dev.kluster.boot.observation;

import java.util.List;

import io.micrometer.common.KeyValue;
import org.jspecify.annotations.Nullable;

import dev.kluster.boot.observation.KlusterObservationDocumentation.LowCardinalityKeyNames;

/**
 * The key values that chat and batch calls share, written once for both default
 * conventions.
 */
final class CommonKeyValues {

	static final KeyValue PROVIDER = KeyValue.of(LowCardinalityKeyNames.PROVIDER_NAME,
			KlusterObservationContext.PROVIDER);

	private CommonKeyValues() {
	}

	static @Nullable KeyValue serverAddress(KlusterObservationContext context) {
		return context.getServer().addressKeyValue();
	}

	static @Nullable KeyValue serverPort(KlusterObservationContext context) {
		return context.getServer().portKeyValue();
	}

	// The clients fail only with their own exception types, so the values are few; a
	// class without a canonical name is reported as _OTHER.
	static @Nullable KeyValue errorType(KlusterObservationContext context) {
		Throwable error = context.getError();
		if (error == null) {
			return null;
		}
		String name = error.getClass().getCanonicalName();
		return KeyValue.of(LowCardinalityKeyNames.ERROR_TYPE, (name != null) ? name : BoundedTagValues.OTHER);
	}

	static void add(List<KeyValue> keyValues, @Nullable KeyValue keyValue) {
		if (keyValue != null) {
			keyValues.add(keyValue);
		}
	}

}
