/**
 * The eventfd health indicator.
 */
package io.github.eventfd.spring.health;
