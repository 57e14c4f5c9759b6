/**
 * The Redis engine of the bridge, through Spring Data Redis: {@link io.github.eventfd.spring.bridge.redis.RedisBridge}.
 * Loaded only where Spring Data Redis is on the class path.
 */
@NullMarked
package io.github.eventfd.spring.bridge.redis;

import org.jspecify.annotations.NullMarked;
