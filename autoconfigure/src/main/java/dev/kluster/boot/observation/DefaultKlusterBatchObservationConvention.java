package dev.kluster.boot.observation;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

import dev.kluster.boot.model.BatchStatus;
import dev.kluster.boot.observation.KlusterBatchObservationDocumentation.HighCardinalityKeyNames;
import dev.kluster.boot.observation.KlusterBatchObservationDocumentation.LowCardinalityKeyNames;

import static dev.kluster.boot.observation.CommonKeyValues.add;

/**
 * Default {@link KlusterBatchObservationConvention}. Each key has a protected method, so
 * that a subclass can change one without repeating the others; a method returns
 * {@code null} when its key does not apply, and the key is then left out.
 *
 * @since 0.1.0
 */
public class DefaultKlusterBatchObservationConvention implements KlusterBatchObservationConvention {

	/**
	 * Name of the observation, and so of the timer metrics handlers record from it.
	 */
	public static final String DEFAULT_NAME = "kluster.batch.client.operation.duration";

	@Override
	public String getName() {
		return DEFAULT_NAME;
	}

	/**
	 * {@code batch {operation}}, for example {@code batch upload}. The batch id stays out
	 * of the name so that span names remain few.
	 */
	@Override
	public String getContextualName(KlusterBatchObservationContext context) {
		return "batch " + context.getOperation();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(KlusterBatchObservationContext context) {
		List<KeyValue> keyValues = new ArrayList<>(5);
		keyValues.add(operation(context));
		keyValues.add(providerName(context));
		add(keyValues, serverAddress(context));
		add(keyValues, serverPort(context));
		add(keyValues, errorType(context));
		return KeyValues.of(keyValues);
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(KlusterBatchObservationContext context) {
		List<KeyValue> keyValues = new ArrayList<>(3);
		add(keyValues, batchId(context));
		add(keyValues, fileId(context));
		add(keyValues, batchStatus(context));
		return KeyValues.of(keyValues);
	}

	protected KeyValue operation(KlusterBatchObservationContext context) {
		return KeyValue.of(LowCardinalityKeyNames.OPERATION, context.getOperation());
	}

	protected KeyValue providerName(KlusterBatchObservationContext context) {
		return CommonKeyValues.PROVIDER;
	}

	protected @Nullable KeyValue serverAddress(KlusterBatchObservationContext context) {
		return CommonKeyValues.serverAddress(context);
	}

	protected @Nullable KeyValue serverPort(KlusterBatchObservationContext context) {
		return CommonKeyValues.serverPort(context);
	}

	/**
	 * The canonical class name of the error, as for chat calls.
	 * @param context the context
	 * @return the key value, or {@code null} when the call did not fail
	 */
	protected @Nullable KeyValue errorType(KlusterBatchObservationContext context) {
		return CommonKeyValues.errorType(context);
	}

	protected @Nullable KeyValue batchId(KlusterBatchObservationContext context) {
		String id = context.getBatchId();
		return (id != null) ? KeyValue.of(HighCardinalityKeyNames.BATCH_ID, id) : null;
	}

	protected @Nullable KeyValue fileId(KlusterBatchObservationContext context) {
		String id = context.getFileId();
		return (id != null) ? KeyValue.of(HighCardinalityKeyNames.FILE_ID, id) : null;
	}

	protected @Nullable KeyValue batchStatus(KlusterBatchObservationContext context) {
		BatchStatus status = context.getStatus();
		return (status != null) ? KeyValue.of(HighCardinalityKeyNames.BATCH_STATUS, status.wireName()) : null;
	}

}
