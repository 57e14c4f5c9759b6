package io.github.eventfd.spring;

import java.util.Objects;

/**
 * One {@code @EventFdListener} method at run time, found by its id in {@link EventFdChannelRegistry#listener}:
 * stop it and start it again.
 *
 * <p>Stop and start are per listener, pause and resume per channel ({@link EventFdChannel#pause()}), because one
 * read of the kernel counter feeds every listener of a channel in a process. A stopped listener is not called;
 * what the channel reads meanwhile goes to its other listeners, and a started listener is called from the next
 * delivery on. A channel whose listeners are all stopped stops reading, as if paused: its signals stay in the
 * counter (a shared queue's go to other processes) and the first start delivers their sum in one delivery. A
 * stop does not wait for a call of the listener that runs now.
 */
public final class EventFdListenerContainer {

    private final EventFdChannel channel;

    private final String id;

    EventFdListenerContainer(EventFdChannel channel, String id) {
        this.channel = Objects.requireNonNull(channel, "'channel' must not be null");
        this.id = Objects.requireNonNull(id, "'id' must not be null");
    }

    /**
     * The listener's id, also its {@code listener} tag in meters and observations.
     * @return {@code @EventFdListener(id)}, else {@code SimpleClassName.method}
     */
    public String id() {
        return this.id;
    }

    /**
     * The channel the listener belongs to, which pauses and resumes.
     * @return the channel
     */
    public EventFdChannel channel() {
        return this.channel;
    }

    /**
     * Call the listener from the next delivery on.
     * @throws IllegalStateException if the listener was removed (its application context closed)
     */
    public void start() {
        setRunning(true);
    }

    /**
     * Stop calling the listener; a call that runs now ends.
     * @throws IllegalStateException if the listener was removed (its application context closed)
     */
    public void stop() {
        setRunning(false);
    }

    private void setRunning(boolean running) {
        if (!this.channel.running(this.id, running)) {
            throw new IllegalStateException("eventfd channel '" + this.channel.channel() + "' has no listener '"
                    + this.id + "' any more");
        }
    }

    /**
     * Whether the channel calls the listener.
     * @return {@code false} once stopped, or if {@code @EventFdListener(autoStartup = "false")} and not started
     */
    public boolean isRunning() {
        return this.channel.isRunning(this.id);
    }

    @Override
    public String toString() {
        return "EventFdListenerContainer(" + this.channel.channel() + ", " + this.id + ", "
                + (isRunning() ? "running" : "stopped") + ")";
    }
}
