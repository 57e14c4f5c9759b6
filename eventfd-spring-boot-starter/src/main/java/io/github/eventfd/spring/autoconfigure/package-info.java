/**
 * Auto-configuration of eventfd channels, their metrics, health indicator and actuator endpoint.
 */
package io.github.eventfd.spring.autoconfigure;
