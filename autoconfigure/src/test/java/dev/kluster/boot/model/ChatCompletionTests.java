package dev.kluster.boot.model;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.kluster.boot.validation.KlusterRequestValidator;
import dev.kluster.boot.validation.ValidationPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ChatCompletion}'s one-call accessors and the way an answer goes back
 * into the next request.
 */
class ChatCompletionTests {

	private static final String COMPLETION = """
			{"id":"chatcmpl-1","object":"chat.completion","created":1733832777,"model":"m",
			 "choices":[{"index":0,"message":{"role":"assistant","content":"Paris.","reasoning_content":"Capital.",
			   "tool_calls":[]},"logprobs":null,"finish_reason":"stop","stop_reason":null}],
			 "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}""";

	private final JsonMapper jsonMapper = JsonMapper.shared();

	private final ChatCompletion completion = this.jsonMapper.readValue(COMPLETION, ChatCompletion.class);

	@Test
	void textFinishReasonAndUsageAreOneCallEach() {
		assertThat(this.completion.text()).isEqualTo("Paris.");
		assertThat(this.completion.finishReason()).isEqualTo("stop");
		assertThat(this.completion.usage().totalTokens()).isEqualTo(7);
		JsonNode written = this.jsonMapper.readTree(this.jsonMapper.writeValueAsString(this.completion));
		assertThat(written.propertyNames()).containsExactlyInAnyOrder("id", "object", "created", "model", "choices",
				"usage");
	}

	@Test
	void completionWithoutChoicesHasNoFinishReasonAndNoMessage() {
		ChatCompletion empty = this.jsonMapper.readValue("{\"id\":\"chatcmpl-2\",\"choices\":[]}", ChatCompletion.class);
		assertThat(empty.finishReason()).isNull();
		assertThat(empty.text()).isEmpty();
		assertThatIllegalStateException().isThrownBy(empty::message).withMessage("Completion chatcmpl-2 has no message");
	}

	@Test
	void answerGoesBackIntoTheNextRequestAsTheAssistantTurn() {
		ChatCompletionRequest first = ChatCompletionRequest.builder()
			.model("m")
			.message(ChatMessage.user("Capital of France?"))
			.build();
		ChatCompletionRequest next = first.toBuilder()
			.message(this.completion.message(), ChatMessage.user("And of Italy?"))
			.build();
		assertThat(next.messages()).containsExactly(ChatMessage.user("Capital of France?"),
				ChatMessage.assistant("Paris."), ChatMessage.user("And of Italy?"));
		JsonNode turn = this.jsonMapper.readTree(this.jsonMapper.writeValueAsString(next)).get("messages").get(1);
		assertThat(turn.propertyNames()).containsExactly("role", "content");
		assertThat(new KlusterRequestValidator(ValidationPolicy.defaults()).validate(next)).isEqualTo(next);
	}

	@Test
	void toolCallsAndRefusalOfAnAnswerAreKept() {
		ToolCall call = new ToolCall(0, "call_1", "function", new ToolCall.FunctionCall("weather", "{}"));
		AssistantMessage answer = new AssistantMessage(null, null, "thinking", "No.", List.of(call));
		ChatMessage message = answer.toChatMessage();
		assertThat(message.role()).isEqualTo(Role.ASSISTANT);
		assertThat(message.toolCalls()).containsExactly(call);
		assertThat(message.refusal()).isEqualTo("No.");
		assertThat(message.content()).isNull();
	}

}
