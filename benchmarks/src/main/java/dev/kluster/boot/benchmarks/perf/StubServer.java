package dev.kluster.boot.benchmarks.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The OpenAI-compatible stub: Debian's nginx, in a process of its own, serving canned
 * answers. Every endpoint answers {@code POST <prefix>/v1/chat/completions}:
 * {@code /chat} a {@code chat.completion}, {@code /s50} and {@code /s2000} streams of 50
 * and 2,000 {@code chat.completion.chunk} events and {@code data: [DONE]}, and
 * {@code /trickle} a stream whose first chunk comes at once and the rest at 64 bytes a
 * second, for holding streams open.
 */
final class StubServer implements AutoCloseable {

	private final Process nginx;

	final int port;

	private StubServer(Process nginx, int port) {
		this.nginx = nginx;
		this.port = port;
	}

	static StubServer start(Path dir) throws IOException, InterruptedException {
		Files.createDirectories(dir.resolve("files"));
		Files.createDirectories(dir.resolve("logs"));
		Files.writeString(dir.resolve("files/chat.json"), completion());
		Files.writeString(dir.resolve("files/s50.sse"), stream(50));
		Files.writeString(dir.resolve("files/s2000.sse"), stream(2000));
		Files.writeString(dir.resolve("files/trickle.sse"), stream(2000));
		int port = ServerProcess.freePort();
		String files = dir.resolve("files").toAbsolutePath().toString();
		StringBuilder locations = new StringBuilder();
		for (String target : List.of("chat", "s50", "s2000", "trickle")) {
			String file = target.equals("chat") ? "chat.json" : target + ".sse";
			// nginx answers a POST to a static file with 405: turn that into the file itself.
			locations.append("    location = /").append(target).append("/v1/chat/completions {\n")
				.append("      error_page 405 =200 /files/").append(file).append(";\n")
				.append("      return 405;\n    }\n");
		}
		String conf = """
				worker_processes 1;
				worker_rlimit_nofile 16384;
				pid %1$s/nginx.pid;
				error_log %1$s/logs/error.log warn;
				events { worker_connections 8192; }
				http {
				  access_log off;
				  client_body_temp_path %1$s/logs;
				  keepalive_requests 10000000;
				  keepalive_timeout 300s;
				  sendfile on;
				  tcp_nopush off;
				  types { application/json json; text/event-stream sse; }
				  server {
				    listen 127.0.0.1:%2$d;
				%3$s
				    location /files/ {
				      internal;
				      alias %4$s/;
				    }
				    location = /files/trickle.sse {
				      internal;
				      alias %4$s/trickle.sse;
				      sendfile off;
				      output_buffers 1 4k;
				      limit_rate_after 600;
				      limit_rate 64;
				    }
				  }
				}
				""".formatted(dir.toAbsolutePath(), port, locations, files);
		Path confFile = dir.resolve("nginx.conf");
		Files.writeString(confFile, conf);
		String binary = ServerProcess
			.binary(List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"))
			.orElseThrow(() -> new IllegalStateException(
					"nginx is not installed: apt-get install -y nginx-light (run-performance.sh does it as root)"));
		Process process = ServerProcess.start(List.of(binary, "-p", dir.toAbsolutePath().toString(), "-c",
				confFile.toAbsolutePath().toString(), "-g", "daemon off;"), port, dir.resolve("logs/nginx.out"),
				"nginx");
		return new StubServer(process, port);
	}

	long pid() {
		return this.nginx.pid();
	}

	@Override
	public void close() throws InterruptedException {
		this.nginx.destroy();
		this.nginx.waitFor();
	}

	private static String completion() {
		String content = "The blender works well despite the late, dented delivery, and support was quick to help. "
			.repeat(4).strip();
		return "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1764000000,"
				+ "\"model\":\"klusterai/Meta-Llama-3.1-8B-Instruct-Turbo\",\"system_fingerprint\":null,"
				+ "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + content
				+ "\",\"refusal\":null,\"tool_calls\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
				+ "\"usage\":{\"prompt_tokens\":38,\"completion_tokens\":80,\"total_tokens\":118}}";
	}

	private static String stream(int chunks) {
		StringBuilder body = new StringBuilder();
		String head = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
				+ "\"model\":\"klusterai/Meta-Llama-3.1-8B-Instruct-Turbo\",\"system_fingerprint\":null,\"choices\":[{\"index\":0,";
		for (int i = 0; i < chunks; i++) {
			String delta = (i == 0) ? "{\"role\":\"assistant\",\"content\":\"\"}" : "{\"content\":\" token" + i + "\"}";
			String finish = (i == chunks - 1) ? "\"stop\"" : "null";
			body.append(head).append("\"delta\":").append(delta).append(",\"logprobs\":null,\"finish_reason\":")
				.append(finish).append("}]");
			if (i == chunks - 1) {
				body.append(",\"usage\":{\"prompt_tokens\":38,\"completion_tokens\":").append(chunks)
					.append(",\"total_tokens\":").append(38 + chunks).append('}');
			}
			body.append("}\n\n");
		}
		body.append("data: [DONE]\n\n");
		return body.toString();
	}

}
