package io.github.eventfd.spring.autoconfigure;

import java.util.Set;

/**
 * The channel names known before any bean is created: configured ones, those named by
 * {@code @EventFdListener} methods, or {@code default} when there are none.
 *
 * @param names the names, in declaration order
 */
record DeclaredChannels(Set<String> names) {
}
