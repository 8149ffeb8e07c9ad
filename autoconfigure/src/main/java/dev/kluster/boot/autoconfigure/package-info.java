/**
 * Auto-configuration of the kluster.ai client from {@code kluster.*} properties.
 */
@NullMarked
package dev.kluster.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
