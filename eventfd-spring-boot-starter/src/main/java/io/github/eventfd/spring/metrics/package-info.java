/**
 * Micrometer meters for eventfd channels and listeners.
 */
package io.github.eventfd.spring.metrics;
