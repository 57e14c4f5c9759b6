/**
 * Micrometer meters for eventfd channels and listeners.
 */
@NullMarked
package io.github.eventfd.spring.metrics;

import org.jspecify.annotations.NullMarked;
