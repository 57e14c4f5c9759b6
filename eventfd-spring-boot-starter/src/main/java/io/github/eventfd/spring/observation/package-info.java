/**
 * Micrometer {@code Observation}s of {@code @EventFdListener} calls: their documentation, context and
 * convention.
 */
@NullMarked
package io.github.eventfd.spring.observation;

import org.jspecify.annotations.NullMarked;
