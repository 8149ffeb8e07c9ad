package dev.kluster.boot.observation;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import org.junit.jupiter.api.Test;

import dev.kluster.boot.error.KlusterTimeoutException;
import dev.kluster.boot.model.AssistantMessage;
import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionChunk;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.ContentPart;
import dev.kluster.boot.model.ResponseFormat;
import dev.kluster.boot.model.Usage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DefaultKlusterChatObservationConvention}.
 */
class DefaultKlusterChatObservationConventionTests {

	private static final String MODEL = "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo";

	private final DefaultKlusterChatObservationConvention convention = new DefaultKlusterChatObservationConvention();

	private static KlusterChatObservationContext chat(ChatCompletionRequest request, boolean streaming) {
		KlusterChatObservationContext context = new KlusterChatObservationContext(KlusterChatObservationContext.CHAT,
				request, streaming);
		context.setServer("api.kluster.ai", 443);
		return context;
	}

	private static ChatCompletionRequest request() {
		return ChatCompletionRequest.builder().model(MODEL).message(ChatMessage.user("Hi")).build();
	}

	@Test
	void nameIsTheOperationDurationMetricOfTheConventions() {
		assertThat(this.convention.getName()).isEqualTo("gen_ai.client.operation.duration");
		assertThat(this.convention.supportsContext(chat(request(), false))).isTrue();
		assertThat(this.convention.supportsContext(new Observation.Context())).isFalse();
	}

	@Test
	void contextualNameIsOperationAndModel() {
		assertThat(this.convention.getContextualName(chat(request(), false))).isEqualTo("chat " + MODEL);
		assertThat(this.convention.getContextualName(
				new KlusterChatObservationContext(KlusterChatObservationContext.LIST_MODELS, null, false)))
			.isEqualTo("list_models");
	}

	@Test
	void lowCardinalityKeysOfASuccessfulCompletion() {
		KlusterChatObservationContext context = chat(request(), false);
		context.setResponse(new ChatCompletion("c1", "chat.completion", Instant.EPOCH, MODEL + "-0613",
				List.of(new ChatCompletion.Choice(0, AssistantMessage.of("Hello"), "stop", null)), Usage.of(3, 1),
				null));
		assertThat(this.convention.getLowCardinalityKeyValues(context)).containsExactlyInAnyOrder(
				KeyValue.of("gen_ai.operation.name", "chat"), KeyValue.of("gen_ai.provider.name", "kluster"),
				KeyValue.of("gen_ai.request.model", MODEL), KeyValue.of("gen_ai.response.model", MODEL + "-0613"),
				KeyValue.of("server.address", "api.kluster.ai"), KeyValue.of("server.port", "443"));
	}

	@Test
	void errorTypeIsTheCanonicalNameOfTheException() {
		KlusterChatObservationContext context = chat(request(), false);
		context.setError(new KlusterTimeoutException("kluster.response-timeout", java.time.Duration.ofSeconds(1),
				null));
		assertThat(this.convention.getLowCardinalityKeyValues(context))
			.contains(KeyValue.of("error.type", "dev.kluster.boot.error.KlusterTimeoutException"));
		context.setError(new RuntimeException() {
		});
		assertThat(this.convention.getLowCardinalityKeyValues(context)).contains(KeyValue.of("error.type", "_OTHER"));
	}

	@Test
	void requestParametersAreHighCardinality() {
		ChatCompletionRequest request = request().toBuilder()
			.temperature(0.7)
			.topP(0.9)
			.maxCompletionTokens(256)
			.frequencyPenalty(0.1)
			.presencePenalty(-0.2)
			.stop("END", "\"quoted\"")
			.seed(42L)
			.n(3)
			.responseFormat(ResponseFormat.jsonObject())
			.build();
		KeyValues keyValues = this.convention.getHighCardinalityKeyValues(chat(request, true));
		assertThat(keyValues).contains(KeyValue.of("gen_ai.request.stream", "true"),
				KeyValue.of("gen_ai.request.temperature", "0.7"), KeyValue.of("gen_ai.request.top_p", "0.9"),
				KeyValue.of("gen_ai.request.max_tokens", "256"),
				KeyValue.of("gen_ai.request.frequency_penalty", "0.1"),
				KeyValue.of("gen_ai.request.presence_penalty", "-0.2"),
				KeyValue.of("gen_ai.request.stop_sequences", "[\"END\",\"\\\"quoted\\\"\"]"),
				KeyValue.of("gen_ai.request.seed", "42"), KeyValue.of("gen_ai.request.choice.count", "3"),
				KeyValue.of("gen_ai.output.type", "json"));
		assertThat(this.convention.getLowCardinalityKeyValues(chat(request, true)).stream().map(KeyValue::getKey))
			.doesNotContain("gen_ai.request.temperature", "gen_ai.request.stream");
	}

	@Test
	void streamedResponseDetailsComeFromTheChunks() {
		KlusterChatObservationContext context = chat(request(), true);
		context.onChunk(new ChatCompletionChunk("c9", "chat.completion.chunk", null, MODEL,
				List.of(new ChatCompletionChunk.Choice(0, AssistantMessage.of("Hel"), null, null)), null));
		context.onChunk(new ChatCompletionChunk("c9", "chat.completion.chunk", null, MODEL,
				List.of(new ChatCompletionChunk.Choice(0, AssistantMessage.of("lo"), "length", null)),
				Usage.of(4, 2)));
		assertThat(context.getChunkCount()).isEqualTo(2);
		assertThat(context.getTimeToFirstChunk()).isNotNull();
		assertThat(this.convention.getHighCardinalityKeyValues(context)).contains(
				KeyValue.of("gen_ai.response.id", "c9"), KeyValue.of("gen_ai.response.finish_reasons", "[\"length\"]"),
				KeyValue.of("gen_ai.usage.input_tokens", "4"), KeyValue.of("gen_ai.usage.output_tokens", "2"));
		assertThat(this.convention.getHighCardinalityKeyValues(context).stream().map(KeyValue::getKey))
			.contains("gen_ai.response.time_to_first_chunk")
			.doesNotContain("gen_ai.output.messages");
	}

	@Test
	void contentIsWrittenAsTheConventionsJsonWhenRecorded() {
		ChatCompletionRequest request = request().toBuilder()
			.messages(List.of(ChatMessage.system("Say \"hi\"\nnicely"),
					ChatMessage.user(ContentPart.text("What is this?"), ContentPart.imageUrl("https://x.test/a.png"))))
			.build();
		KlusterChatObservationContext context = chat(request, true);
		context.setContentRecorded(true);
		context.onChunk(new ChatCompletionChunk("c9", null, null, MODEL,
				List.of(new ChatCompletionChunk.Choice(0, AssistantMessage.of("A cat"), null, null)), null));
		context.setCancelled();
		assertThat(this.convention.getHighCardinalityKeyValues(context)).contains(
				KeyValue.of("gen_ai.input.messages",
						"[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Say \\\"hi\\\"\\nnicely\"}]},"
								+ "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"What is this?\"},"
								+ "{\"type\":\"uri\",\"modality\":\"image\",\"uri\":\"https://x.test/a.png\"}]}]"),
				KeyValue.of("gen_ai.output.messages",
						"[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"A cat\"}],"
								+ "\"finish_reason\":\"cancelled\"}]"));
	}

	@Test
	void modelTagsAreBoundedWhileSpansKeepTheExactModel() {
		DefaultKlusterChatObservationConvention bounded = new DefaultKlusterChatObservationConvention(2);
		for (int i = 0; i < 5; i++) {
			ChatCompletionRequest request = request().toBuilder().model("model-" + i).build();
			KlusterChatObservationContext context = chat(request, false);
			String expected = (i < 2) ? "model-" + i : "_OTHER";
			assertThat(bounded.getLowCardinalityKeyValues(context))
				.contains(KeyValue.of("gen_ai.request.model", expected));
			if (i < 2) {
				assertThat(bounded.getHighCardinalityKeyValues(context).stream().map(KeyValue::getKey))
					.doesNotContain("gen_ai.request.model");
			}
			else {
				assertThat(bounded.getHighCardinalityKeyValues(context))
					.contains(KeyValue.of("gen_ai.request.model", "model-" + i));
			}
		}
		assertThat(bounded.getLowCardinalityKeyValues(chat(request().toBuilder().model("model-1").build(), false)))
			.contains(KeyValue.of("gen_ai.request.model", "model-1"));
	}


	@Test
	void requestKeysAreComputedOncePerCallByEachConvention() {
		AtomicInteger first = new AtomicInteger();
		AtomicInteger second = new AtomicInteger();
		DefaultKlusterChatObservationConvention counting = countingMaxTokens(first, 0);
		DefaultKlusterChatObservationConvention other = countingMaxTokens(second, 1);
		KlusterChatObservationContext context = chat(request().toBuilder().maxCompletionTokens(64).build(), false);
		// As an observation asks: when the call starts and when it ends.
		KeyValues atStart = counting.getHighCardinalityKeyValues(context);
		context.setResponse(new ChatCompletion("c1", "chat.completion", Instant.ofEpochSecond(1), MODEL,
				List.of(new ChatCompletion.Choice(0, AssistantMessage.of("Hello"), "stop", null)), null, null));
		KeyValues atEnd = counting.getHighCardinalityKeyValues(context);
		assertThat(first).hasValue(1);
		assertThat(atStart).contains(KeyValue.of("gen_ai.request.max_tokens", "64"));
		assertThat(atEnd).contains(KeyValue.of("gen_ai.request.max_tokens", "64"),
				KeyValue.of("gen_ai.response.id", "c1"));
		// Another convention on the same call makes its own.
		assertThat(other.getHighCardinalityKeyValues(context)).contains(KeyValue.of("gen_ai.request.max_tokens", "65"));
		assertThat(second).hasValue(1);
	}

	// Adds an offset to the value, to tell conventions apart.
	private static DefaultKlusterChatObservationConvention countingMaxTokens(AtomicInteger calls, int offset) {
		return new DefaultKlusterChatObservationConvention() {

			@Override
			protected KeyValue requestMaxTokens(KlusterChatObservationContext context) {
				calls.incrementAndGet();
				return KeyValue.of("gen_ai.request.max_tokens",
						Integer.toString(context.getRequest().maxCompletionTokens() + offset));
			}

		};
	}

}
