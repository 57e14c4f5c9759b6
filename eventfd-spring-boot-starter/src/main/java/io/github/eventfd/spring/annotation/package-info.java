/**
 * {@link io.github.eventfd.spring.annotation.EventFdListener} and the processor that finds annotated
 * methods and hands them to their channels, which call them themselves.
 */
@NullMarked
package io.github.eventfd.spring.annotation;

import org.jspecify.annotations.NullMarked;
