/**
 * The eventfd health indicator.
 */
@NullMarked
package io.github.eventfd.spring.health;

import org.jspecify.annotations.NullMarked;
