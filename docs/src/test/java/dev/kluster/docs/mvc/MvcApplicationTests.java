package dev.kluster.docs.mvc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import dev.kluster.boot.test.AutoConfigureKlusterStandIn;
import dev.kluster.boot.test.KlusterStandIn;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServerFactory;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring MVC application with the starter, as getting-started.md shows it: Tomcat with
 * {@code spring-boot-starter-webmvc}, the starter, and the page's controller. The starter
 * brings Spring WebFlux's {@code WebClient} and Reactor Netty's HTTP client, which must not
 * make the application a reactive one or start a second server. This test runs on its own
 * class path (see this module's pom): the other tests of the module are WebFlux
 * applications.
 */
@SpringBootTest(classes = MvcApplicationTests.Application.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.threads.virtual.enabled=true")
@AutoConfigureKlusterStandIn
class MvcApplicationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HttpClient http = HttpClient.newHttpClient();

	@Autowired
	KlusterStandIn standIn;

	@Autowired
	ApplicationContext context;

	@Value("${local.server.port}")
	int port;

	@Test
	void theStarterLeavesTheApplicationAServletOneWithOneServer() {
		assertThat(new SpringApplication(Application.class).getWebApplicationType())
			.isEqualTo(WebApplicationType.SERVLET);
		assertThat(this.context).isInstanceOf(ServletWebServerApplicationContext.class);
		assertThat(((ServletWebServerApplicationContext) this.context).getWebServer())
			.isInstanceOf(TomcatWebServer.class);
		assertThat(this.context.getBeanNamesForType(WebServerFactory.class)).hasSize(1);
	}

	@Test
	void aBlockingCallAnswersThroughHttp() throws Exception {
		this.standIn.answer("Forty-two, of course.");
		HttpResponse<String> response = get("/answer?question=hi", MediaType.TEXT_PLAIN_VALUE,
				HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("Forty-two, of course.");
		assertThat(this.standIn.lastRequest().header("Authorization")).isEqualTo("Bearer test-key");
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void requestsRunOnVirtualThreadsWhenEnabled() {
		TomcatWebServer tomcat = (TomcatWebServer) ((ServletWebServerApplicationContext) this.context).getWebServer();
		assertThat(tomcat.getTomcat().getConnector().getProtocolHandler().getExecutor().getClass().getName())
			.isEqualTo("org.apache.tomcat.util.threads.VirtualThreadExecutor");
	}

	@Test
	void theStreamArrivesAsServerSentEventsWithItsSpacesKept() throws Exception {
		this.standIn.answer("Waves fold on the shore");
		HttpResponse<Stream<String>> response = get("/answer/stream?question=hi",
				MediaType.TEXT_EVENT_STREAM_VALUE, HttpResponse.BodyHandlers.ofLines());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue(HttpHeaders.CONTENT_TYPE)).hasValueSatisfying(
				(contentType) -> assertThat(MediaType.parseMediaType(contentType).isCompatibleWith(MediaType.TEXT_EVENT_STREAM))
					.isTrue());
		List<String> data = response.body().filter((line) -> line.startsWith("data:")).toList();
		// Each piece is JSON right after "data:", so that the space a piece starts with is kept
		// by a browser, which drops one space after "data:".
		assertThat(data).containsExactly("data:{\"text\":\"Waves\"}", "data:{\"text\":\" fold\"}",
				"data:{\"text\":\" on\"}", "data:{\"text\":\" the\"}", "data:{\"text\":\" shore\"}");
	}

	private <T> HttpResponse<T> get(String path, String accept, HttpResponse.BodyHandler<T> body)
			throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header(HttpHeaders.ACCEPT, accept)
			.timeout(TIMEOUT)
			.build();
		return this.http.send(request, body);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(MvcChatController.class)
	static class Application {

	}

}
