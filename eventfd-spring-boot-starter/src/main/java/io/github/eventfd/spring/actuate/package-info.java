/**
 * The {@code eventfd} actuator endpoint.
 */
package io.github.eventfd.spring.actuate;
