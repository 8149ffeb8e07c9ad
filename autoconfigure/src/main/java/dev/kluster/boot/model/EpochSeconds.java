package dev.kluster.boot.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * Marks an {@link java.time.Instant} that travels as Unix seconds: written as a number by
 * {@link EpochSecondsSerializer}, read from a number or a string of digits by
 * {@link EpochSecondsDeserializer}. kluster.ai's batch objects have a dozen such fields.
 *
 * @since 0.1.0
 */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@JacksonAnnotationsInside
@JsonDeserialize(using = EpochSecondsDeserializer.class)
@JsonSerialize(using = EpochSecondsSerializer.class)
public @interface EpochSeconds {

}
