/**
 * Linux eventfd(2) for plain Java: {@link io.github.eventfd.EventFd} handles with the kernel's exact
 * semantics (the {@link io.github.eventfd.EventCounter} contract, which
 * {@link io.github.eventfd.InMemoryEventCounter} follows too), and an {@link io.github.eventfd.EventFdPoller}
 * that delivers their signals from one epoll thread. Check {@link io.github.eventfd.EventFdSupport} before use
 * on platforms other than Linux; {@link io.github.eventfd.EventFdRules} holds the rule of every setting.
 * Sharing between processes lives in {@link io.github.eventfd.share}; {@code io.github.eventfd.internal} is
 * not API.
 */
@NullMarked
package io.github.eventfd;

import org.jspecify.annotations.NullMarked;
