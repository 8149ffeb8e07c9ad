package dev.kluster.boot.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Author of a chat message. kluster.ai accepts {@link #SYSTEM}, {@link #USER} and
 * {@link #ASSISTANT}; the other roles exist so that requests ported from OpenAI compile
 * and are refused with a clear message by validation.
 *
 * @since 0.1.0
 */
public enum Role {

	SYSTEM("system"), USER("user"), ASSISTANT("assistant"), DEVELOPER("developer"), TOOL("tool"), FUNCTION("function");

	private final String wireName;

	Role(String wireName) {
		this.wireName = wireName;
	}

	/**
	 * Name of the role on the wire.
	 * @return the lower-case wire name
	 */
	@JsonValue
	public String wireName() {
		return this.wireName;
	}

	@JsonCreator
	static Role fromWireName(String wireName) {
		for (Role role : values()) {
			if (role.wireName.equals(wireName)) {
				return role;
			}
		}
		throw new IllegalArgumentException("Unknown message role '" + wireName + "'");
	}

}
