package dev.clambake.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses task API request bodies larger than the state store could keep, with 413, without
 * reading them whole: a declared {@code Content-Length} above the limit is answered before any
 * byte is read; a body without one (chunked) is read through a stream that stops at the limit.
 */
class TaskBodyLimitFilter extends OncePerRequestFilter {

	private final long limit;

	/**
	 * Create a filter.
	 * @param limit the largest body accepted, in bytes
	 */
	TaskBodyLimitFilter(long limit) {
		this.limit = limit;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > this.limit) {
			reject(request, response, this.limit);
			return;
		}
		chain.doFilter(new BoundedRequest(request, this.limit), response);
	}

	static void reject(HttpServletRequest request, HttpServletResponse response, long limit) throws IOException {
		response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		// The rest of the body is not read: the connection cannot be reused
		response.setHeader(HttpHeaders.CONNECTION, "close");
		String body = "{\"type\":\"about:blank\",\"title\":\"Content too large\",\"status\":413,"
				+ "\"detail\":\"The request body is larger than " + limit + " bytes\",\"instance\":\""
				+ request.getRequestURI().replaceAll("[^A-Za-z0-9._~/-]", "") + "\"}";
		response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Signals that a body without a declared length went past the limit.
	 */
	static class BodyTooLargeException extends IOException {

		BodyTooLargeException(long limit) {
			super("The request body is larger than " + limit + " bytes");
		}

	}

	private static final class BoundedRequest extends HttpServletRequestWrapper {

		private final long limit;

		private @Nullable ServletInputStream stream;

		BoundedRequest(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new BoundedInputStream(super.getInputStream(), this.limit);
			}
			return this.stream;
		}

	}

	private static final class BoundedInputStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final long limit;

		private long read;

		BoundedInputStream(ServletInputStream delegate, long limit) {
			this.delegate = delegate;
			this.limit = limit;
		}

		@Override
		public int read() throws IOException {
			int b = this.delegate.read();
			if (b != -1) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			// Never more than one byte past the limit, so a body of exactly the limit passes
			long allowed = this.limit + 1 - this.read;
			int n = this.delegate.read(buffer, offset, (int) Math.min(length, Math.max(allowed, 1)));
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws IOException {
			this.read += n;
			if (this.read > this.limit) {
				throw new BodyTooLargeException(this.limit);
			}
		}

		@Override
		public boolean isFinished() {
			return this.delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.delegate.setReadListener(listener);
		}

	}

}
