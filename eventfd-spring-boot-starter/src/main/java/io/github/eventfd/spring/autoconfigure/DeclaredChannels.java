package io.github.eventfd.spring.autoconfigure;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The channel names known before any bean is created: configured ones, those named by
 * {@code @EventFdListener} methods, or {@code default} when there are none.
 *
 * <p>Its bean definition holds the names as a constructor argument, so that ahead-of-time processing writes
 * them into the generated code: in an application run from that code they are the names found at build time.
 *
 * @param names the names, in declaration order
 */
record DeclaredChannels(Set<String> names) {

    DeclaredChannels {
        names = Collections.unmodifiableSet(new LinkedHashSet<>(names));
    }

    /**
     * These names and then the configured ones not among them. Both are the same set unless the application
     * runs from code generated ahead of time with other properties: a channel configured only at run time
     * then still exists (without a notifier bean, which would have to have been generated).
     * @param configured the channel names configured now, under {@code eventfd.channels}
     * @return the names, in order
     */
    Set<String> with(Collection<String> configured) {
        Set<String> all = new LinkedHashSet<>(this.names);
        all.addAll(configured);
        return Collections.unmodifiableSet(all);
    }
}
