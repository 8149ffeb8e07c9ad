/**
 * Immutable request and response types of kluster.ai's OpenAI-compatible API, mapped to
 * the OpenAI wire format with Jackson.
 */
@NullMarked
package dev.kluster.boot.model;

import org.jspecify.annotations.NullMarked;
