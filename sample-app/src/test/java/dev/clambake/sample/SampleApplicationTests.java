package dev.clambake.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void helloAnswers() throws Exception {
		HttpResponse<String> response = get("/api/hello");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("hello");
	}

	@Test
	void workHoldsTheRequest() throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> response = get("/api/work?ms=200");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(200_000_000L);
	}

	@Test
	void workRejectsOutOfRangeAndUnparsableDurations() throws Exception {
		assertThat(get("/api/work?ms=-1").statusCode()).isEqualTo(400);
		assertThat(get("/api/work?ms=60001").statusCode()).isEqualTo(400);
		assertThat(get("/api/work?ms=soon").statusCode()).isEqualTo(400);
		assertThat(get("/api/work").statusCode()).isEqualTo(400);
		assertThat(get("/api/work?ms=0").statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
