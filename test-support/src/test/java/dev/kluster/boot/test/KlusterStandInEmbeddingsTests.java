package dev.kluster.boot.test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.kluster.boot.test.StandInClient.Reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for the {@code POST /embeddings} of {@link KlusterStandIn}.
 */
class KlusterStandInEmbeddingsTests {

	private KlusterStandIn standIn;

	private StandInClient client;

	@BeforeEach
	void start() {
		this.standIn = KlusterStandIn.start();
		this.client = new StandInClient(this.standIn.baseUrl());
	}

	@AfterEach
	void close() {
		this.standIn.close();
	}

	private JsonNode embed(String body) {
		Reply reply = this.client.post("/embeddings", body);
		assertThat(reply.status()).as(reply.body()).isEqualTo(200);
		return reply.json();
	}

	private static float[] floats(JsonNode embedding) {
		if (embedding.isString()) {
			byte[] bytes = Base64.getDecoder().decode(embedding.asString());
			float[] vector = new float[bytes.length / 4];
			ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
			return vector;
		}
		float[] vector = new float[embedding.size()];
		for (int i = 0; i < vector.length; i++) {
			vector[i] = embedding.get(i).floatValue();
		}
		return vector;
	}

	@Test
	void sameTextHasTheSameVectorAndOtherTextsOthers() {
		JsonNode answer = embed("{\"model\":\"m\",\"input\":[\"a cat\",\"a dog\",\"a cat\"]}");
		assertThat(answer.path("object").asString()).isEqualTo("list");
		assertThat(answer.path("model").asString()).isEqualTo("m");
		JsonNode data = answer.path("data");
		assertThat(data).hasSize(3);
		float[] cat = floats(data.get(0).path("embedding"));
		assertThat(cat).hasSize(8);
		assertThat(floats(data.get(2).path("embedding"))).containsExactly(cat);
		assertThat(floats(data.get(1).path("embedding"))).isNotEqualTo(cat);
		assertThat(data.get(1).path("index").asInt()).isEqualTo(1);
		double length = 0;
		for (float value : cat) {
			length += value * value;
		}
		assertThat(length).isCloseTo(1.0, within(1e-5));
		assertThat(answer.path("usage").path("prompt_tokens").asInt()).isEqualTo(6);
		// The same in every run: a hash of the text, not a random draw.
		assertThat(floats(embed("{\"model\":\"m\",\"input\":\"a cat\"}").path("data").get(0).path("embedding")))
			.containsExactly(cat);
	}

	@Test
	void base64EncodingCarriesTheSameFloats() {
		float[] asFloats = floats(embed("{\"model\":\"m\",\"input\":\"hello\"}").path("data").get(0).path("embedding"));
		JsonNode base64 = embed("{\"model\":\"m\",\"input\":\"hello\",\"encoding_format\":\"base64\"}").path("data")
			.get(0)
			.path("embedding");
		assertThat(base64.isString()).isTrue();
		assertThat(floats(base64)).containsExactly(asFloats);
	}

	@Test
	void dimensionsAreRefusedAsTheClientRefusesThemUnlessAccepted() {
		Reply refused = this.client.post("/embeddings", "{\"model\":\"m\",\"input\":\"a\",\"dimensions\":16}");
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.json().path("error").path("param").asString()).isEqualTo("dimensions");
		this.standIn.accept("embeddings.dimensions");
		JsonNode answer = embed("{\"model\":\"m\",\"input\":\"a\",\"dimensions\":16}");
		assertThat(answer.path("data").get(0).path("embedding")).hasSize(16);
	}

	@Test
	void requestWithoutModelOrInputIsRefused() {
		assertThat(this.client.post("/embeddings", "{\"input\":\"a\"}").json().path("error").path("param").asString())
			.isEqualTo("model");
		Reply empty = this.client.post("/embeddings", "{\"model\":\"m\",\"input\":[]}");
		assertThat(empty.status()).isEqualTo(400);
		assertThat(empty.json().path("error").path("param").asString()).isEqualTo("input");
	}

}
