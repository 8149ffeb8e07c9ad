package dev.kluster.boot.test;

import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.TestExecutionListener;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * {@link TestExecutionListener} that resets the {@link KlusterStandIn} of an
 * {@link AutoConfigureKlusterStandIn} test after each test method, so that scripts,
 * unused faults and records do not leak into the next test that shares the cached
 * context.
 */
class KlusterStandInResetTestExecutionListener extends AbstractTestExecutionListener {

	@Override
	public int getOrder() {
		return LOWEST_PRECEDENCE - 100;
	}

	@Override
	public void afterTestMethod(TestContext testContext) {
		if (!TestContextAnnotationUtils.hasAnnotation(testContext.getTestClass(), AutoConfigureKlusterStandIn.class)
				|| !testContext.hasApplicationContext()) {
			return;
		}
		ApplicationContext context = testContext.getApplicationContext();
		if (context.containsBean(KlusterStandInContextCustomizer.BEAN_NAME)) {
			context.getBean(KlusterStandInContextCustomizer.BEAN_NAME, KlusterStandIn.class).reset();
		}
	}

}
