package dev.kluster.boot.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.error.KlusterApiException;
import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionChunk;
import dev.kluster.boot.validation.ValidationPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends each parameter on the starter's default unsupported lists to kluster.ai with
 * validation off, and prints what kluster.ai does with it today beside what the starter
 * does by default: a Markdown table, also written to
 * {@code target/live-probe/unsupported-parameters.md}. docs/validation.md says how to
 * update the lists from it.
 * <p>
 * Whether kluster.ai accepts a parameter is the probe's finding, not an assertion: the
 * test fails only when a probe could not be observed (no HTTP answer, or an answer the
 * starter could not read).
 */
@ExtendWith(KlusterApiKeyCondition.class)
class UnsupportedParametersLiveIT {

	private static final Path TABLE = Path.of("target", "live-probe", "unsupported-parameters.md");

	@Test
	void eachUnsupportedParameterIsSentAndWhatKlusterAiDoesWithItIsTabled() throws IOException {
		List<String> rows = new ArrayList<>();
		List<String> unobserved = new ArrayList<>();
		LiveKluster.run("kluster.validation.mode=off", (context) -> {
			KlusterChatClient client = context.getBean(KlusterChatClient.class);
			for (UnsupportedParameterProbe probe : UnsupportedParameterProbe.all()) {
				String today;
				String review;
				try {
					UnsupportedParameterProbe.Answer answer = send(client, probe);
					String effect = probe.effect().apply(answer);
					today = "accepted (HTTP 200)" + (effect.isEmpty() ? "" : ": " + effect);
					review = "accepted: check the effect, then consider taking it off the list";
				}
				catch (KlusterApiException ex) {
					today = "refused: HTTP " + ex.statusCode() + ": " + ex.error().message();
					review = (ex.statusCode() == 400 || ex.statusCode() == 422) ? "keep it on the list"
							: "no verdict: HTTP " + ex.statusCode() + " says nothing about the parameter";
				}
				catch (RuntimeException ex) {
					today = "not observed: " + ex.getClass().getSimpleName() + ": " + ex.getMessage();
					review = "no verdict";
					unobserved.add(probe.parameter() + ": " + ex);
				}
				rows.add(row(probe.parameter(), probe.sent(), today, "refused (" + hint(probe.parameter()) + ")", review));
			}
		});
		String table = table(rows);
		Files.createDirectories(TABLE.getParent());
		Files.writeString(TABLE, table, StandardCharsets.UTF_8);
		System.out.println();
		System.out.println("What kluster.ai accepts today against the starter's defaults (also in "
				+ TABLE.toAbsolutePath() + "):");
		System.out.println(table);
		assertThat(unobserved).as("probes without an HTTP answer the starter could read").isEmpty();
	}

	private static UnsupportedParameterProbe.Answer send(KlusterChatClient client, UnsupportedParameterProbe probe) {
		if (probe.stream()) {
			List<ChatCompletionChunk> chunks = client.stream(probe.request()).collectList().block(LiveKluster.TIMEOUT);
			return UnsupportedParameterProbe.Answer.of(chunks);
		}
		ChatCompletion completion = client.chat(probe.request()).block(LiveKluster.TIMEOUT);
		return UnsupportedParameterProbe.Answer.of(completion);
	}

	private static String hint(String parameter) {
		String hint = parameter.startsWith(ValidationPolicy.MESSAGE_PREFIX)
				? ValidationPolicy.defaults().messageHint(parameter.substring(ValidationPolicy.MESSAGE_PREFIX.length()))
				: ValidationPolicy.defaults().requestHint(parameter);
		return (hint != null) ? hint : "no hint";
	}

	private static String table(List<String> rows) {
		List<String> lines = new ArrayList<>();
		lines.add(row("Parameter", "Sent as", "kluster.ai today", "The starter by default", "Review"));
		lines.add("| --- | --- | --- | --- | --- |");
		lines.addAll(rows);
		return String.join(System.lineSeparator(), lines) + System.lineSeparator();
	}

	private static String row(String... cells) {
		StringBuilder row = new StringBuilder("|");
		for (String cell : cells) {
			String flat = cell.replace('\n', ' ').replace("|", "\\|");
			row.append(' ').append((flat.length() > 200) ? flat.substring(0, 197) + "..." : flat).append(" |");
		}
		return row.toString();
	}

}
