/**
 * Test support for applications that call kluster.ai: {@link KlusterStandIn}, a local
 * stand-in for kluster.ai's OpenAI-compatible API, with a JUnit 5 extension and a Spring
 * Boot test annotation that start it for a test.
 */
@NullMarked
package dev.kluster.boot.test;

import org.jspecify.annotations.NullMarked;
