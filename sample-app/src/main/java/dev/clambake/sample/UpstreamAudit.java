package dev.clambake.sample;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;

import dev.clambake.sample.UpstreamController.UpstreamResult;

/**
 * Records each upstream answer off the request thread, on Spring Boot's task executor.
 */
@Component
class UpstreamAudit {

	private static final Log logger = LogFactory.getLog(UpstreamAudit.class);

	private static final int LOGGED_BODY_LENGTH = 64;

	@Async
	public void upstreamAnswered(String url, UpstreamResult result) {
		logger.info("Upstream " + url + " answered " + result.status() + ": " + abbreviate(result.body()));
	}

	private static String abbreviate(String body) {
		String start = (body.length() > LOGGED_BODY_LENGTH) ? body.substring(0, LOGGED_BODY_LENGTH) + "..." : body;
		// An upstream's body must not split or forge a log line
		return start.replaceAll("\\p{Cntrl}", "?");
	}

}
