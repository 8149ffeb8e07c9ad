package dev.kluster.boot.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.docs.MeterDocumentation;

/**
 * The meters of the pacer of {@code kluster.rate-limit.*} and of the shared concurrency
 * limit, documented as code.
 *
 * @since 0.1.0
 */
public enum KlusterRateLimitMeterDocumentation implements MeterDocumentation {

	/**
	 * Time each call waited for a budget before it was sent, zero included, one timer per
	 * budget.
	 */
	WAIT {
		@Override
		public String getName() {
			return "kluster.rate-limit.wait";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.TIMER;
		}

		@Override
		public KeyName[] getKeyNames() {
			return BudgetKeyNames.values();
		}
	},

	/**
	 * Calls refused without being sent because a budget would have made them wait longer
	 * than {@code kluster.rate-limit.max-wait}.
	 */
	REFUSED {
		@Override
		public String getName() {
			return "kluster.rate-limit.refused";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.COUNTER;
		}

		@Override
		public KeyName[] getKeyNames() {
			return BudgetKeyNames.values();
		}
	},

	/**
	 * Operations of the shared store (Redis) that failed or did not answer within
	 * {@code kluster.rate-limit.store-timeout}.
	 */
	STORE_FAILURES {
		@Override
		public String getName() {
			return "kluster.rate-limit.store.failures";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.COUNTER;
		}
	},

	/**
	 * Slots of {@code kluster.max-concurrent-requests} this instance holds now.
	 */
	SLOTS_HELD {
		@Override
		public String getName() {
			return "kluster.rate-limit.slots.held";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.GAUGE;
		}
	};

	/**
	 * Tag of the budget meters.
	 */
	public enum BudgetKeyNames implements KeyName {

		/**
		 * {@code requests} (requests per minute) or {@code tokens} (tokens per minute).
		 */
		BUDGET {
			@Override
			public String asString() {
				return "budget";
			}
		}

	}

}
