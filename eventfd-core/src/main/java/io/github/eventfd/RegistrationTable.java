package io.github.eventfd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.jspecify.annotations.Nullable;

/**
 * Maps the 64-bit token stored in each epoll event back to its registration without allocating.
 *
 * <p>A token is {@code generation << 32 | slot}. Slots are reused, generations never are, so an event
 * that was already in flight when its registration left the table finds nothing rather than a newcomer
 * in the same slot. Token 0 is never issued.
 *
 * <p>Adding and removing cost O(1) amortized whatever the table holds: a free slot comes off a stack of
 * released slots (or the next unused one), and the slot array is copied only when it doubles. Writers hold
 * the table's lock; {@link #get(long)} takes no lock and reads each slot with volatile semantics, so the
 * poller thread sees a registration as soon as {@code add} has published it.
 *
 * <p>Once {@link #close() closed}, the table takes no more registrations: whoever reads {@link #all()} after
 * the close sees every registration that was ever added and not removed, so a shutdown that leaves them all
 * misses none that a concurrent register added.
 */
final class RegistrationTable {

    private volatile AtomicReferenceArray<@Nullable RegisteredEventFd> slots = new AtomicReferenceArray<>(8);

    /** Slots released by {@link #remove}, reused last-in first-out; {@code freeCount} of them are valid. */
    private int[] free = new int[8];

    private int freeCount;

    /** Slots below this index have been used at least once. */
    private int highWater;

    private int size;

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
        int slot = (this.freeCount > 0) ? this.free[--this.freeCount] : this.highWater++;
        AtomicReferenceArray<@Nullable RegisteredEventFd> current = this.slots;
        if (slot == current.length()) {
            current = grow(current);
        }
        this.generation = (this.generation == Integer.MAX_VALUE) ? 1 : this.generation + 1;
        registration.assignToken(((long) this.generation << 32) | slot);
        current.set(slot, registration);
        this.size++;
        return true;
    }

    private AtomicReferenceArray<@Nullable RegisteredEventFd> grow(
            AtomicReferenceArray<@Nullable RegisteredEventFd> current) {
        int length = current.length();
        AtomicReferenceArray<@Nullable RegisteredEventFd> next = new AtomicReferenceArray<>(length * 2);
        for (int i = 0; i < length; i++) {
            next.setPlain(i, current.getPlain(i));
        }
        this.slots = next;
        return next;
    }

    /** Take no more registrations; removing goes on. */
    synchronized void close() {
        this.closed = true;
    }

    @Nullable RegisteredEventFd get(long token) {
        AtomicReferenceArray<@Nullable RegisteredEventFd> current = this.slots;
        int slot = (int) token;
        if (slot < 0 || slot >= current.length()) {
            return null;
        }
        @Nullable RegisteredEventFd registration = current.get(slot);
        return (registration != null && registration.token() == token) ? registration : null;
    }

    synchronized void remove(RegisteredEventFd registration) {
        int slot = (int) registration.token();
        AtomicReferenceArray<@Nullable RegisteredEventFd> current = this.slots;
        if (slot >= 0 && slot < current.length() && current.get(slot) == registration) {
            current.set(slot, null);
            if (this.freeCount == this.free.length) {
                this.free = Arrays.copyOf(this.free, this.free.length * 2);
            }
            this.free[this.freeCount++] = slot;
            this.size--;
        }
    }

    synchronized List<RegisteredEventFd> all() {
        AtomicReferenceArray<@Nullable RegisteredEventFd> current = this.slots;
        List<RegisteredEventFd> all = new ArrayList<>(this.size);
        for (int i = 0; i < this.highWater; i++) {
            @Nullable RegisteredEventFd registration = current.getPlain(i);
            if (registration != null) {
                all.add(registration);
            }
        }
        return all;
    }

    synchronized int size() {
        return this.size;
    }
}
