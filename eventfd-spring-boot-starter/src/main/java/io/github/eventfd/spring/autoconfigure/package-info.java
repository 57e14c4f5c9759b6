/**
 * Auto-configuration of eventfd channels, their metrics, health indicator and actuator endpoint.
 */
@NullMarked
package io.github.eventfd.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
