package dev.kluster.docs.validation;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import dev.kluster.boot.client.KlusterChatClient;
import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.ResponseFormat;
import dev.kluster.boot.model.Role;
import dev.kluster.boot.model.ToolCall;
import dev.kluster.boot.model.ToolDefinition;
import dev.kluster.boot.validation.KlusterRequestValidator;
import dev.kluster.boot.validation.KlusterValidationException;
import dev.kluster.boot.validation.RequestValidator;
import dev.kluster.boot.validation.ValidationPolicy;
import dev.kluster.boot.validation.Violation;

/**
 * The fragments of validation.md, each in a method that gives it what it uses.
 */
class ValidationSnippets {

	private final KlusterChatClient kluster;

	ValidationSnippets(KlusterChatClient kluster) {
		this.kluster = kluster;
	}

	Mono<ChatCompletion> everyViolationAtOnce() {
		// tag::validation-violations[]
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.model("klusterai/Meta-Llama-3.3-70B-Instruct-Turbo")
			.message(ChatMessage.builder(Role.DEVELOPER).content("Be brief").build(),
					 ChatMessage.builder(Role.USER).content("Hi").name("Ann").build())
			.maxTokens(200)
			.responseFormat(ResponseFormat.jsonObject())
			.temperature(2.5)
			.extraBody("top_p", 0.9)
			.build();

		kluster.chat(request)
			.onErrorResume(KlusterValidationException.class, ex -> {
				ex.paths();        // [max_tokens, response_format, messages[1].name, messages[0].role, temperature, top_p]
				for (Violation v : ex.violations()) {
					v.path();      // "max_tokens"
					v.message();   // "is not supported by kluster.ai"
					v.hint();      // "use max_completion_tokens", or null
				}
				return Mono.empty();
			});
		// end::validation-violations[]
		return kluster.chat(request);
	}

	Mono<String> tools() {
		// tag::validation-tools[]
		ToolDefinition weather = ToolDefinition.function(new ToolDefinition.FunctionDefinition(
				"current_weather", "Current weather in a city",
				Map.of("type", "object",
						"properties", Map.of("city", Map.of("type", "string")),
						"required", List.of("city")),
				null));
		ChatCompletionRequest first = ChatCompletionRequest.builder()
			.model("klusterai/Meta-Llama-3.3-70B-Instruct-Turbo")
			.message(ChatMessage.user("What is the weather in Lisbon?"))
			.tools(List.of(weather))
			.toolChoice("auto")
			.build();

		Mono<String> answer = kluster.chat(first).flatMap(completion -> {
			ChatMessage reply = completion.message();   // the answer as the next request's assistant turn
			List<ToolCall> calls = reply.toolCalls();
			if (calls == null) {
				return Mono.just(completion.text());
			}
			ToolCall call = calls.get(0);   // call.function().name(), call.function().arguments() (JSON text)
			ChatCompletionRequest second = first.toBuilder()
				.message(reply)
				.message(ChatMessage.builder(Role.TOOL).content("{\"celsius\":21}").toolCallId(call.id()).build())
				.build();
			return kluster.chat(second).map(ChatCompletion::text);
		});
		// end::validation-tools[]
		return answer;
	}

	static RequestValidator allowingTools() {
		// tag::validation-allowing[]
		ValidationPolicy policy = ValidationPolicy.defaults()
			.allowing("tools", "tool_choice", "parallel_tool_calls", "messages[].tool_calls");
		RequestValidator validator = new KlusterRequestValidator(policy);
		// end::validation-allowing[]
		return validator;
	}

}
