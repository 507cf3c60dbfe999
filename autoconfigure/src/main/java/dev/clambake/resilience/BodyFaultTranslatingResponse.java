package dev.clambake.resilience;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;

/**
 * A response whose body reports a failed read as an {@link IOException}, whatever the request
 * factory throws: Reactor Netty's, for one, throws its own unchecked exceptions when the
 * connection is cut or the read timeout passes mid-body, which {@code RestClient} would pass
 * on as they are instead of as the I/O failure they are.
 */
final class BodyFaultTranslatingResponse implements ClientHttpResponse {

	private final ClientHttpResponse response;

	private final String client;

	private BodyFaultTranslatingResponse(ClientHttpResponse response, String client) {
		this.response = response;
		this.client = client;
	}

	static ClientHttpResponse of(ClientHttpResponse response, String client) {
		return (response instanceof BodyFaultTranslatingResponse) ? response
				: new BodyFaultTranslatingResponse(response, client);
	}

	@Override
	public HttpStatusCode getStatusCode() throws IOException {
		return this.response.getStatusCode();
	}

	@Override
	public String getStatusText() throws IOException {
		return this.response.getStatusText();
	}

	@Override
	public HttpHeaders getHeaders() {
		return this.response.getHeaders();
	}

	@Override
	public InputStream getBody() throws IOException {
		try {
			return new TranslatingInputStream(this.response.getBody());
		}
		catch (RuntimeException ex) {
			throw failure(ex);
		}
	}

	@Override
	public void close() {
		this.response.close();
	}

	private IOException failure(RuntimeException ex) {
		return new IOException("HTTP client '" + this.client + "' failed reading the response body: " + ex, ex);
	}

	private final class TranslatingInputStream extends FilterInputStream {

		TranslatingInputStream(InputStream in) {
			super(in);
		}

		@Override
		public int read() throws IOException {
			try {
				return super.read();
			}
			catch (RuntimeException ex) {
				throw failure(ex);
			}
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			try {
				return this.in.read(buffer, offset, length);
			}
			catch (RuntimeException ex) {
				throw failure(ex);
			}
		}

		@Override
		public long skip(long n) throws IOException {
			try {
				return super.skip(n);
			}
			catch (RuntimeException ex) {
				throw failure(ex);
			}
		}

		@Override
		public int available() throws IOException {
			try {
				return super.available();
			}
			catch (RuntimeException ex) {
				throw failure(ex);
			}
		}

		@Override
		public void close() throws IOException {
			try {
				super.close();
			}
			catch (RuntimeException ex) {
				throw failure(ex);
			}
		}

	}

}
