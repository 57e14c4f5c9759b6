package io.github.eventfd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Maps the 64-bit token stored in each epoll event back to its registration without allocating.
 *
 * <p>A token is {@code generation << 32 | slot}. Slots are reused, generations never are, so an event
 * that was already in flight when its registration left the table finds nothing rather than a newcomer
 * in the same slot. Token 0 is never issued. Reads are lock-free on a copy-on-write array.
 *
 * <p>Once {@link #close() closed}, the table takes no more registrations: whoever reads {@link #all()} after
 * the close sees every registration that was ever added and not removed, so a shutdown that leaves them all
 * misses none that a concurrent register added.
 */
final class RegistrationTable {

    private volatile @Nullable RegisteredEventFd[] slots = new RegisteredEventFd[8];

    private int generation;

    private boolean closed;

    /**
     * Add a registration and give it its token.
     * @return {@code false}, adding nothing, if the table is closed
     */
    synchronized boolean add(RegisteredEventFd registration) {
        if (this.closed) {
            return false;
        }
        @Nullable RegisteredEventFd[] current = this.slots;
        int slot = 0;
        while (slot < current.length && current[slot] != null) {
            slot++;
        }
        @Nullable RegisteredEventFd[] next = Arrays.copyOf(current, (slot < current.length) ? current.length
                : current.length * 2);
        next[slot] = registration;
        this.generation = (this.generation == Integer.MAX_VALUE) ? 1 : this.generation + 1;
        long token = ((long) this.generation << 32) | slot;
        registration.assignToken(token);
        this.slots = next;
        return true;
    }

    /** Take no more registrations; removing goes on. */
    synchronized void close() {
        this.closed = true;
    }

    @Nullable RegisteredEventFd get(long token) {
        @Nullable RegisteredEventFd[] current = this.slots;
        int slot = (int) token;
        if (slot < 0 || slot >= current.length) {
            return null;
        }
        @Nullable RegisteredEventFd registration = current[slot];
        return (registration != null && registration.token() == token) ? registration : null;
    }

    synchronized void remove(RegisteredEventFd registration) {
        int slot = (int) registration.token();
        @Nullable RegisteredEventFd[] current = this.slots;
        if (slot < current.length && current[slot] == registration) {
            @Nullable RegisteredEventFd[] next = current.clone();
            next[slot] = null;
            this.slots = next;
        }
    }

    List<RegisteredEventFd> all() {
        List<RegisteredEventFd> all = new ArrayList<>();
        for (RegisteredEventFd registration : this.slots) {
            if (registration != null) {
                all.add(registration);
            }
        }
        return all;
    }

    int size() {
        return all().size();
    }
}
