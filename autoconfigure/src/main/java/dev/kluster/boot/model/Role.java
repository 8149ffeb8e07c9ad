package dev.kluster.boot.model;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Author of a chat message. kluster.ai accepts {@link #SYSTEM}, {@link #USER} and
 * {@link #ASSISTANT}; the other constants exist so that requests ported from OpenAI
 * compile and are refused with a clear message by validation.
 * <p>
 * A role is a value, not an enum: kluster.ai's models add roles over time, and an answer
 * with a role this version does not know must still be read. {@link #of(String)} returns
 * the constant for a known wire name, so known roles compare with {@code ==}, and keeps
 * any other name as sent ({@link #isKnown()} tells them apart).
 *
 * @since 0.1.0
 */
public final class Role {

	/** {@code system}: instructions for the model. */
	public static final Role SYSTEM = new Role("system");

	/** {@code user}: what the user says. */
	public static final Role USER = new Role("user");

	/** {@code assistant}: what the model answered. */
	public static final Role ASSISTANT = new Role("assistant");

	/** {@code developer}: OpenAI's newer name for system; kluster.ai refuses it. */
	public static final Role DEVELOPER = new Role("developer");

	/** {@code tool}: the result of a tool call. */
	public static final Role TOOL = new Role("tool");

	/** {@code function}: OpenAI's deprecated function result; kluster.ai refuses it. */
	public static final Role FUNCTION = new Role("function");

	private static final List<Role> KNOWN = List.of(SYSTEM, USER, ASSISTANT, DEVELOPER, TOOL, FUNCTION);

	private final String wireName;

	private Role(String wireName) {
		this.wireName = wireName;
	}

	/**
	 * The role with the given wire name: one of the constants when it is known, else a
	 * role that keeps the name as sent.
	 * @param wireName the name on the wire, for example {@code user}
	 * @return the role
	 */
	@JsonCreator
	public static Role of(String wireName) {
		Objects.requireNonNull(wireName, "wireName must not be null");
		for (Role role : KNOWN) {
			if (role.wireName.equals(wireName)) {
				return role;
			}
		}
		return new Role(wireName);
	}

	/**
	 * The roles this version knows, in the order of the constants.
	 * @return the known roles
	 */
	public static List<Role> known() {
		return KNOWN;
	}

	/**
	 * Name of the role on the wire.
	 * @return the wire name, as sent
	 */
	@JsonValue
	public String wireName() {
		return this.wireName;
	}

	/**
	 * Whether this is one of the constants.
	 * @return {@code false} for a role this version does not know
	 */
	public boolean isKnown() {
		return KNOWN.contains(this);
	}

	@Override
	public boolean equals(Object other) {
		return this == other || (other instanceof Role role && this.wireName.equals(role.wireName));
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.wireName);
	}

	@Override
	public String toString() {
		return this.wireName;
	}

}
