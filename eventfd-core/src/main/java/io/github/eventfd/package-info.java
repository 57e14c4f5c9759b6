/**
 * Linux eventfd(2) for plain Java: {@link io.github.eventfd.EventFd} handles with the kernel's exact
 * semantics, and an {@link io.github.eventfd.EventFdPoller} that delivers their signals from one epoll
 * thread. Check {@link io.github.eventfd.EventFdSupport} before use on platforms other than Linux.
 */
@NullMarked
package io.github.eventfd;

import org.jspecify.annotations.NullMarked;
