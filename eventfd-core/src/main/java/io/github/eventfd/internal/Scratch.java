package io.github.eventfd.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * Native memory for the arguments of one system call at a time: one small block per thread, reused, or one
 * block per owner that serialises its own calls ({@link #newBlock()}).
 *
 * <p>Layout: bytes 0-7 hold the 8-byte eventfd value; bytes 8-23 hold two {@code struct pollfd}; bytes 24-39
 * an iovec for the value (for preadv2); a separate
 * one-element {@link EpollEventArray} serves {@code epoll_ctl}. A block
 * is used only between the start and the end of one call on its own thread, so no two calls share it.
 * Not API.
 */
public final class Scratch {

    /** Offset of the 8-byte eventfd value. */
    public static final long VALUE = 0;

    /** Offset of the first {@code struct pollfd} (int fd, short events, short revents). */
    public static final long POLLFDS = 8;

    /** Size of one {@code struct pollfd}. */
    public static final long POLLFD_SIZE = 8;

    /** Offset of a {@code struct iovec} that always describes the 8-byte value at {@link #VALUE}. */
    public static final long VALUE_IOVEC = 24;

    private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);

    private static final LongAdder ALLOCATED = new LongAdder();

    private static final NativeBlock ONE = constantOne();

    private final NativeBlock memory = NativeCalls.INSTANCE.allocate(40);

    private final long address = this.memory.address();

    private final EpollEventArray epollEvent = new EpollEventArray(1);

    private Scratch() {
        this.memory.setLong(VALUE_IOVEC, this.address + VALUE);
        this.memory.setLong(VALUE_IOVEC + 8, 8);
        ALLOCATED.increment();
    }

    /**
     * A block of its own for an owner that serialises its calls itself (a poller registration uses one
     * under its delivery lock), so that the thread making the calls needs no block: a delivery on a new
     * (virtual) thread allocates no native memory.
     * @return a new block
     */
    public static Scratch newBlock() {
        return new Scratch();
    }

    /**
     * How many blocks this JVM has allocated, thread blocks and owned blocks together; for tests and
     * diagnostics.
     * @return the number
     */
    public static long allocatedBlocks() {
        return ALLOCATED.sum();
    }

    private static NativeBlock constantOne() {
        NativeBlock one = NativeCalls.INSTANCE.allocate(8);
        one.setLong(0, 1L);
        return one;
    }

    /**
     * Address of a shared, never-written block holding the 8-byte value 1, so that the common
     * {@code signal()} needs no per-thread memory at all.
     * @return the address
     */
    public static long one() {
        return ONE.address();
    }

    /**
     * The block of the calling thread.
     * @return the block
     */
    public static Scratch current() {
        return CURRENT.get();
    }

    /**
     * Base address of this block.
     * @return the address
     */
    public long address() {
        return this.address;
    }

    /**
     * Fill this thread's single {@code struct epoll_event} for an {@code epoll_ctl} call.
     * @param events the event bits
     * @param data the 64-bit user data
     * @return the address of the filled struct
     */
    public long epollEvent(int events, long data) {
        this.epollEvent.set(0, events, data);
        return this.epollEvent.address();
    }

    /**
     * Read a long at an offset.
     * @param offset the offset
     * @return the value
     */
    public long getLong(long offset) {
        return this.memory.getLong(offset);
    }

    /**
     * Write a long at an offset.
     * @param offset the offset
     * @param value the value
     */
    public void setLong(long offset, long value) {
        this.memory.setLong(offset, value);
    }

    /**
     * Fill one {@code struct pollfd} asking for {@code POLLIN}.
     * @param index 0 or 1
     * @param fd the descriptor to wait on
     */
    public void setPollIn(int index, int fd) {
        long base = POLLFDS + index * POLLFD_SIZE;
        this.memory.setInt(base, fd);
        this.memory.setShort(base + 4, Linux.POLLIN);
        this.memory.setShort(base + 6, (short) 0);
    }

    /**
     * The events the kernel reported for one {@code struct pollfd}.
     * @param index 0 or 1
     * @return the {@code revents} bits
     */
    public short revents(int index) {
        return this.memory.getShort(POLLFDS + index * POLLFD_SIZE + 6);
    }
}
