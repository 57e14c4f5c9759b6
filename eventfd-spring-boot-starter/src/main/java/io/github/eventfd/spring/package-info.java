/**
 * The Spring side of eventfd channels: {@link io.github.eventfd.spring.EventFdNotifier} to signal,
 * {@link io.github.eventfd.spring.EventFdSignalEvent} for each delivery and
 * {@link io.github.eventfd.spring.EventFdChannelRegistry} for every channel and its lifecycle.
 */
@NullMarked
package io.github.eventfd.spring;

import org.jspecify.annotations.NullMarked;
