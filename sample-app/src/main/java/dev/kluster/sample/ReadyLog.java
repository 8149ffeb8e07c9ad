package dev.kluster.sample;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Tells the person who started the sample where to look, and whether answers are real.
 */
@Component
class ReadyLog implements ApplicationListener<ApplicationReadyEvent> {

	private static final Log logger = LogFactory.getLog(ReadyLog.class);

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		String port = event.getApplicationContext().getEnvironment().getProperty("local.server.port", "8080");
		boolean standIn = event.getApplicationContext()
			.getEnvironment()
			.getProperty(StandInEnvironmentPostProcessor.STAND_IN_PROPERTY, Boolean.class, false);
		logger.info("Sample ready: open http://localhost:" + port + "/ ("
				+ (standIn ? "answers are CANNED, from the local kluster.ai stand-in; set KLUSTER_API_KEY for real ones"
						: "talking to kluster.ai")
				+ ")");
	}

}
