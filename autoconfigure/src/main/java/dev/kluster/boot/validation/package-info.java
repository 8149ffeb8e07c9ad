/**
 * Client-side validation of chat completion requests against what kluster.ai supports,
 * so that a request kluster.ai would refuse or silently misread fails before it is sent.
 */
@NullMarked
package dev.kluster.boot.validation;

import org.jspecify.annotations.NullMarked;
