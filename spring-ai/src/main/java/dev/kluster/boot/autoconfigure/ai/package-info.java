/**
 * Auto-configuration of kluster.ai as a Spring AI model provider.
 */
@NullMarked
package dev.kluster.boot.autoconfigure.ai;

import org.jspecify.annotations.NullMarked;
