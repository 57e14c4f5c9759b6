/**
 * The {@code eventfd} actuator endpoint.
 */
@NullMarked
package io.github.eventfd.spring.actuate;

import org.jspecify.annotations.NullMarked;
