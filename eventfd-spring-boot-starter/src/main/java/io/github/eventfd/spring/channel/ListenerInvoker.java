package io.github.eventfd.spring.channel;

import java.time.Duration;
import java.util.Objects;

import io.github.eventfd.spring.EventFdChannelEvent;
import io.github.eventfd.spring.EventFdSignalEvent;
import io.github.eventfd.spring.listener.EventFdListenerErrorHandler;
import io.github.eventfd.spring.listener.EventFdListenerFailure;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Calls one listener of a channel through its interceptors, and hands a failure to the listener's error
 * handler. Runs only inside its channel's delivery gate, which is what makes the failure count in a row safe to
 * keep in a plain field.
 */
final class ListenerInvoker {

    private static final Log logger = LogFactory.getLog(ListenerInvoker.class);

    private final AbstractEventFdChannel channel;

    private final ChannelListener listener;

    private final ListenerInterceptor.Interception[] interceptions;

    private final EventFdListenerErrorHandler errorHandler;

    /** Whether the channel calls this listener: cleared by a stop, set by a start. */
    private volatile boolean running;

    /** Failed calls in a row; guarded by the channel's delivery gate. */
    private int failuresInARow;

    ListenerInvoker(AbstractEventFdChannel channel, ChannelListener listener, ListenerSettings settings) {
        this.channel = channel;
        this.listener = Objects.requireNonNull(listener, "'listener' must not be null");
        this.interceptions = settings.interceptions().toArray(new ListenerInterceptor.Interception[0]);
        this.errorHandler = settings.errorHandler();
        this.running = settings.autoStartup();
    }

    boolean isRunning() {
        return this.running;
    }

    void setRunning(boolean running) {
        this.running = running;
    }

    ChannelListener listener() {
        return this.listener;
    }

    String name() {
        return this.listener.name();
    }

    boolean receivesResyncs() {
        return this.listener.receivesResyncs();
    }

    /**
     * Call the listener; nothing it throws escapes but a {@link VirtualMachineError} other than a
     * {@link StackOverflowError}.
     */
    void invoke(EventFdChannelEvent event) {
        try {
            // an event the listener's condition excludes is no call: no interceptor sees it
            if (this.listener.accepts(event) && call(event, 0)) {
                this.failuresInARow = 0;
            }
        }
        catch (VirtualMachineError ex) {
            // a listener's own recursion is its failure; a JVM out of memory or broken is everyone's
            if (!(ex instanceof StackOverflowError)) {
                throw ex;
            }
            failed(event, ex);
        }
        catch (Exception | Error ex) {
            failed(event, ex);
        }
    }

    /** The interceptors from {@code index} on, the listener last. */
    private boolean call(EventFdChannelEvent event, int index) throws Exception {
        if (index == this.interceptions.length) {
            return this.listener.onEvent(event);
        }
        return this.interceptions[index].intercept(event, () -> call(event, index + 1));
    }

    private void retried() {
        for (ListenerInterceptor.Interception interception : this.interceptions) {
            interception.retried();
        }
    }

    private void gaveUp() {
        for (ListenerInterceptor.Interception interception : this.interceptions) {
            interception.gaveUp();
        }
    }

    private void failed(EventFdChannelEvent event, Throwable cause) {
        if (logger.isDebugEnabled()) {
            logger.debug("@EventFdListener " + name() + " of channel '" + this.channel.channel() + "' failed on "
                    + event, cause);
        }
        Failure failure = new Failure(event, cause, ++this.failuresInARow);
        try {
            this.errorHandler.handleError(failure);
        }
        catch (VirtualMachineError ex) {
            throw ex;
        }
        catch (RuntimeException | Error ex) {
            logger.error("The error handler of @EventFdListener " + name() + " of channel '" + this.channel.channel()
                    + "' failed on " + event + "; the listener's own failure was", cause);
            logger.error("and the handler's failure was", ex);
        }
    }

    /** The failure handed to the error handler; its answers act on the channel. */
    private final class Failure implements EventFdListenerFailure {

        private final EventFdChannelEvent event;

        private final Throwable cause;

        private final int attempt;

        Failure(EventFdChannelEvent event, Throwable cause, int attempt) {
            this.event = event;
            this.cause = cause;
            this.attempt = attempt;
        }

        @Override
        public String channel() {
            return ListenerInvoker.this.channel.channel();
        }

        @Override
        public String listener() {
            return name();
        }

        @Override
        public EventFdChannelEvent event() {
            return this.event;
        }

        @Override
        public Throwable cause() {
            return this.cause;
        }

        @Override
        public int attempt() {
            return this.attempt;
        }

        @Override
        public void redeliver(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("a redelivery delay must be zero or more but was " + delay);
            }
            ListenerInvoker.this.retried();
            AbstractEventFdChannel target = ListenerInvoker.this.channel;
            if (this.event instanceof EventFdSignalEvent signal) {
                target.redeliver(signal.getCount(), delay);
            }
            else {
                target.resyncAgain(this.event, delay);
            }
        }

        @Override
        public void giveUp() {
            ListenerInvoker.this.gaveUp();
            ListenerInvoker.this.failuresInARow = 0;
        }

        @Override
        public String toString() {
            return "EventFdListenerFailure(" + channel() + ", " + listener() + ", " + this.event + ", attempt "
                    + this.attempt + ", " + this.cause + ")";
        }
    }
}
