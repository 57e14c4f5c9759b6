/**
 * What happens when an {@code @EventFdListener} method throws: the
 * {@link io.github.eventfd.spring.listener.EventFdListenerErrorHandler} extension point, with two built-ins,
 * {@link io.github.eventfd.spring.listener.LoggingListenerErrorHandler} (log and count, the default) and
 * {@link io.github.eventfd.spring.listener.RetryingListenerErrorHandler} (deliver the failed count again
 * after a back-off, then give up).
 */
@NullMarked
package io.github.eventfd.spring.listener;

import org.jspecify.annotations.NullMarked;
