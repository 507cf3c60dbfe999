package dev.clambake.sample;

import dev.clambake.state.StateConflictException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Turns the task API's errors into RFC 9457 problem details: 400 for invalid input, 404 for a
 * missing task, 409 with the current version for a conflict, 413 for a body larger than the
 * store keeps, 428 for an update without {@code If-Match}.
 */
@RestControllerAdvice(assignableTypes = TaskController.class)
// Before Spring Boot's ProblemDetailsExceptionHandler, which would answer unreadable bodies first
@Order(Ordered.HIGHEST_PRECEDENCE)
class TaskExceptionHandler {

	@ExceptionHandler(IllegalArgumentException.class)
	ProblemDetail invalid(IllegalArgumentException ex) {
		return problem(HttpStatus.BAD_REQUEST, "Invalid request", ex.getMessage());
	}

	@ExceptionHandler({ HttpMessageNotReadableException.class, MethodArgumentTypeMismatchException.class })
	ProblemDetail unreadable(Exception ex) {
		// A body without a declared length that went past the limit fails while it is parsed
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof TaskBodyLimitFilter.BodyTooLargeException tooLarge) {
				return tooLarge(tooLarge);
			}
		}
		return problem(HttpStatus.BAD_REQUEST, "Invalid request", "The request body or a parameter is not valid");
	}

	@ExceptionHandler(TaskBodyLimitFilter.BodyTooLargeException.class)
	ProblemDetail tooLarge(TaskBodyLimitFilter.BodyTooLargeException ex) {
		return problem(HttpStatus.CONTENT_TOO_LARGE, "Content too large", ex.getMessage());
	}

	@ExceptionHandler(TaskController.TaskNotFoundException.class)
	ProblemDetail notFound(TaskController.TaskNotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, "Task not found", ex.getMessage());
	}

	@ExceptionHandler(StateConflictException.class)
	ProblemDetail conflict(StateConflictException ex) {
		if (ex.isMissing()) {
			return problem(HttpStatus.NOT_FOUND, "Task not found", "No task " + ex.getKey());
		}
		ProblemDetail problem = problem(HttpStatus.CONFLICT, "Version conflict",
				"The task is at version " + ex.getCurrentVersion());
		problem.setProperty("currentVersion", ex.getCurrentVersion());
		return problem;
	}

	@ExceptionHandler(TaskController.AlreadyClaimedException.class)
	ProblemDetail alreadyClaimed(TaskController.AlreadyClaimedException ex) {
		ProblemDetail problem = problem(HttpStatus.CONFLICT, "Already claimed", ex.getMessage());
		problem.setProperty("currentVersion", ex.getCurrentVersion());
		return problem;
	}

	@ExceptionHandler(TaskController.PreconditionRequiredException.class)
	ProblemDetail preconditionRequired(TaskController.PreconditionRequiredException ex) {
		return problem(HttpStatus.PRECONDITION_REQUIRED, "If-Match required", ex.getMessage());
	}

	private static ProblemDetail problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

}
