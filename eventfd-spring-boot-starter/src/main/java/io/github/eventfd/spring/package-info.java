/**
 * The Spring side of eventfd channels: {@link io.github.eventfd.spring.EventFdNotifier} to signal,
 * {@link io.github.eventfd.spring.EventFdSignalEvent} for each delivery and
 * {@link io.github.eventfd.spring.EventFdChannelRegistry} to look channels up by name.
 */
@NullMarked
package io.github.eventfd.spring;

import org.jspecify.annotations.NullMarked;
