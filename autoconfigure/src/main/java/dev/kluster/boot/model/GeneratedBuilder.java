package dev.kluster.boot.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.soabase.recordbuilder.core.RecordBuilder;

/**
 * Has the RecordBuilder annotation processor write, at compile time, a package-level
 * {@code <Record>Builder} that a model record's public {@code Builder} delegates to: the
 * builder's state, {@code build()} and the copy behind {@code toBuilder()}, so that a field is
 * one record component and one setter. Lists and maps are built as unmodifiable copies, and
 * unset ones stay {@code null} so that they are left out of the JSON.
 */
@RecordBuilder.Template(options = @RecordBuilder.Options(enableWither = false, addStaticBuilder = false,
		inheritComponentAnnotations = false, useImmutableCollections = true, allowNullableCollections = true))
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
@interface GeneratedBuilder {

}
