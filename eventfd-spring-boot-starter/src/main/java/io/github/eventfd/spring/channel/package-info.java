/**
 * The channels behind the notifiers: their definitions, the factory that creates their counters under the
 * fallback policy, and the lifecycle that delivers them.
 */
@NullMarked
package io.github.eventfd.spring.channel;

import org.jspecify.annotations.NullMarked;
