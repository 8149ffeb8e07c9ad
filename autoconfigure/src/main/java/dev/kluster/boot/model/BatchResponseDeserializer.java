package dev.kluster.boot.model;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads the {@code response} of a batch result, whose {@code body} is the answer its
 * request got: a {@code list} of embeddings in a batch of embeddings, else a chat
 * completion (an error body reads as a completion with no fields set). A result line
 * does not name its endpoint, so the body tells.
 *
 * @since 0.1.0
 */
public final class BatchResponseDeserializer extends ValueDeserializer<BatchResult.Response> {

	@Override
	public BatchResult.Response deserialize(JsonParser parser, DeserializationContext context) {
		JsonNode node = context.readTree(parser);
		if (!node.isObject()) {
			return (BatchResult.Response) context.handleUnexpectedToken(BatchResult.Response.class, parser);
		}
		int statusCode = node.path("status_code").asInt(0);
		JsonNode requestId = node.get("request_id");
		String id = (requestId != null && !requestId.isNull()) ? requestId.asString() : null;
		JsonNode body = node.get("body");
		if (body == null || body.isNull()) {
			return new BatchResult.Response(statusCode, id, null, null);
		}
		if ("list".equals(body.path("object").asString(null)) || body.path("data").isArray()) {
			return new BatchResult.Response(statusCode, id, null,
					context.readTreeAsValue(body, EmbeddingResponse.class));
		}
		return new BatchResult.Response(statusCode, id, context.readTreeAsValue(body, ChatCompletion.class), null);
	}

}
