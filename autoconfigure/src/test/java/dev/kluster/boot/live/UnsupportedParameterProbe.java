package dev.kluster.boot.live;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import dev.kluster.boot.model.ChatCompletion;
import dev.kluster.boot.model.ChatCompletionChunk;
import dev.kluster.boot.model.ChatCompletionRequest;
import dev.kluster.boot.model.ChatMessage;
import dev.kluster.boot.model.ResponseFormat;
import dev.kluster.boot.model.Role;
import dev.kluster.boot.model.ToolCall;
import dev.kluster.boot.model.ToolDefinition;
import dev.kluster.boot.model.Usage;
import dev.kluster.boot.validation.ValidationPolicy;

/**
 * One parameter of the starter's unsupported lists, set in a request that is otherwise
 * plain, for the live probe to send with validation off. {@link #all()} has one probe for
 * each name on the default lists ({@code unsupported-parameters.properties});
 * {@code UnsupportedParameterProbeTests} keeps the two in step.
 *
 * @param parameter the name as the lists write it: {@code n}, or {@code messages[].name}
 * for a message parameter
 * @param sent what the request carries, for the table
 * @param request the request (without model: the client fills in the configured one)
 * @param stream whether the probe is sent as a stream
 * @param effect what the answer shows of the parameter, when something does
 */
record UnsupportedParameterProbe(String parameter, String sent, ChatCompletionRequest request, boolean stream,
		Function<Answer, String> effect) {

	private static final ToolDefinition.FunctionDefinition WEATHER = new ToolDefinition.FunctionDefinition(
			"current_weather", "Current weather in a city",
			Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")), "required",
					List.of("city")),
			null);

	private static final ChatMessage PING = ChatMessage.user("Reply with the single word: pong");

	private static final ChatMessage WEATHER_QUESTION = ChatMessage.user("What is the weather in Lisbon?");

	private static final Function<Answer, String> NOTHING = (answer) -> "";

	private static final Function<Answer, String> TOOL_CALLS = (answer) -> (answer.toolCalls() > 0)
			? answer.toolCalls() + " tool call(s) in the answer" : "answered without a tool call";

	/**
	 * A probe for every name on the default lists, requests first, in the order of the
	 * properties file.
	 * @return the probes
	 */
	static List<UnsupportedParameterProbe> all() {
		Map<String, UnsupportedParameterProbe> probes = new LinkedHashMap<>();
		Stream.of(
				request("store", "store: true", ping().store(true), NOTHING),
				request("max_tokens", "max_tokens: 5", ping().maxTokens(5),
						(answer) -> (answer.usage() == null) ? "no usage in the answer"
								: answer.usage().completionTokens() + " completion tokens"
										+ ((answer.usage().completionTokens() <= 5) ? " (honoured)" : " (ignored)")),
				request("n", "n: 2", ping().n(2),
						(answer) -> answer.choices() + " choice(s)" + ((answer.choices() == 2) ? " (honoured)" : " (ignored)")),
				request("modalities", "modalities: [text]", ping().modalities(List.of("text")), NOTHING),
				request("response_format", "response_format: json_object",
						ChatCompletionRequest.builder()
							.message(ChatMessage.user("Reply with a JSON object whose only key, answer, has the value pong"))
							.responseFormat(ResponseFormat.jsonObject()),
						(answer) -> answer.text().strip().startsWith("{") ? "the answer is a JSON object"
								: "the answer is no JSON object"),
				request("service_tier", "service_tier: auto", ping().serviceTier("auto"), NOTHING),
				new UnsupportedParameterProbe("stream_options", "stream_options: {include_usage: true}, streamed",
						ping().streamOptions(Map.of("include_usage", true)).build(), true,
						(answer) -> (answer.usage() != null) ? "the stream carries usage" : "the stream carries no usage"),
				request("tools", "tools: [current_weather]", weather(), TOOL_CALLS),
				request("tool_choice", "tool_choice: auto, with tools", weather().toolChoice("auto"), TOOL_CALLS),
				request("parallel_tool_calls", "parallel_tool_calls: false, with tools",
						weather().parallelToolCalls(false), TOOL_CALLS),
				request("function_call", "function_call: auto, with functions",
						ChatCompletionRequest.builder().message(WEATHER_QUESTION).functions(List.of(WEATHER)).functionCall("auto"),
						NOTHING),
				request("functions", "functions: [current_weather]",
						ChatCompletionRequest.builder().message(WEATHER_QUESTION).functions(List.of(WEATHER)), NOTHING),
				message("name", "a user message with name: Ann",
						ChatMessage.builder(Role.USER).content("Reply with the single word: pong").name("Ann").build()),
				message("refusal", "an assistant message with a refusal",
						ChatMessage.builder(Role.USER).content("Tell me a secret").build(),
						ChatMessage.builder(Role.ASSISTANT).content("I can't share that.").refusal("I can't share that.").build(),
						PING),
				message("audio", "an assistant message with audio: {id}", ChatMessage.user("Hello"),
						ChatMessage.builder(Role.ASSISTANT).content("Hello!").audio(Map.of("id", "audio_live_probe")).build(),
						PING),
				new UnsupportedParameterProbe("messages[].tool_calls",
						"an assistant message with tool_calls and the tool's answer, with tools",
						weather().message(
								ChatMessage.builder(Role.ASSISTANT)
									.toolCalls(List.of(new ToolCall(null, "call_live_probe", "function",
											new ToolCall.FunctionCall("current_weather", "{\"city\":\"Lisbon\"}"))))
									.build(),
								ChatMessage.builder(Role.TOOL).content("{\"celsius\":21}").toolCallId("call_live_probe").build())
							.build(),
						false, NOTHING),
				message("function_call", "an assistant message with function_call", WEATHER_QUESTION,
						ChatMessage.builder(Role.ASSISTANT)
							.functionCall(new ToolCall.FunctionCall("current_weather", "{\"city\":\"Lisbon\"}"))
							.build(),
						PING))
			.forEach((probe) -> probes.put(probe.parameter(), probe));
		List<UnsupportedParameterProbe> ordered = new ArrayList<>();
		ValidationPolicy.DEFAULT_UNSUPPORTED_REQUEST_PARAMETERS.stream()
			.map(probes::remove)
			.filter((probe) -> probe != null)
			.forEach(ordered::add);
		ValidationPolicy.DEFAULT_UNSUPPORTED_MESSAGE_PARAMETERS.stream()
			.map((name) -> probes.remove(ValidationPolicy.MESSAGE_PREFIX + name))
			.filter((probe) -> probe != null)
			.forEach(ordered::add);
		ordered.addAll(probes.values());
		return ordered;
	}

	private static ChatCompletionRequest.Builder ping() {
		return ChatCompletionRequest.builder().message(PING);
	}

	private static ChatCompletionRequest.Builder weather() {
		return ChatCompletionRequest.builder().message(WEATHER_QUESTION).tools(List.of(ToolDefinition.function(WEATHER)));
	}

	private static UnsupportedParameterProbe request(String parameter, String sent, ChatCompletionRequest.Builder request,
			Function<Answer, String> effect) {
		return new UnsupportedParameterProbe(parameter, sent, request.build(), false, effect);
	}

	private static UnsupportedParameterProbe message(String parameter, String sent, ChatMessage... messages) {
		return new UnsupportedParameterProbe(ValidationPolicy.MESSAGE_PREFIX + parameter, sent,
				ChatCompletionRequest.builder().message(messages).build(), false, NOTHING);
	}

	/**
	 * What the probe reads from kluster.ai's answer, a completion or a stream alike.
	 *
	 * @param choices how many choices came back
	 * @param usage the usage, when the answer carried one
	 * @param text the first choice's text
	 * @param toolCalls how many tool calls the first choice made
	 */
	record Answer(int choices, @Nullable Usage usage, String text, int toolCalls) {

		static Answer of(ChatCompletion completion) {
			List<ChatCompletion.Choice> choices = completion.choices();
			int toolCalls = choices.isEmpty() || choices.get(0).message() == null
					|| choices.get(0).message().toolCalls() == null ? 0 : choices.get(0).message().toolCalls().size();
			return new Answer(choices.size(), completion.usage(), completion.text(), toolCalls);
		}

		static Answer of(List<ChatCompletionChunk> chunks) {
			Usage usage = null;
			StringBuilder text = new StringBuilder();
			long choices = chunks.stream()
				.flatMap((chunk) -> chunk.choices().stream())
				.mapToInt(ChatCompletionChunk.Choice::index)
				.distinct()
				.count();
			int toolCalls = 0;
			for (ChatCompletionChunk chunk : chunks) {
				usage = (chunk.usage() != null) ? chunk.usage() : usage;
				text.append(chunk.text());
				for (ChatCompletionChunk.Choice choice : chunk.choices()) {
					if (choice.delta() != null && choice.delta().toolCalls() != null) {
						// A call's first delta carries its id; the next ones add to its arguments.
						toolCalls += (int) choice.delta().toolCalls().stream().filter((call) -> call.id() != null).count();
					}
				}
			}
			return new Answer((int) choices, usage, text.toString(), toolCalls);
		}

	}

}
