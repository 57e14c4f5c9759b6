/**
 * {@link io.github.eventfd.spring.annotation.EventFdListener} and the factory that turns annotated methods
 * into application listeners.
 */
@NullMarked
package io.github.eventfd.spring.annotation;

import org.jspecify.annotations.NullMarked;
