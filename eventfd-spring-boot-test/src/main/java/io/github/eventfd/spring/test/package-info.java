/**
 * Test support for applications of the eventfd starter: {@link io.github.eventfd.spring.test.AutoConfigureEventFd}
 * (a synchronous mode in which {@code signal()} delivers on the calling thread) and
 * {@link io.github.eventfd.spring.test.EventFdRecorder} (every delivery, to await by channel and count).
 */
@NullMarked
package io.github.eventfd.spring.test;

import org.jspecify.annotations.NullMarked;
