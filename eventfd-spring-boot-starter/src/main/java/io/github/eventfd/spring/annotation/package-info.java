/**
 * {@link io.github.eventfd.spring.annotation.EventFdListener} and the factory that turns annotated methods
 * into application listeners.
 */
package io.github.eventfd.spring.annotation;
