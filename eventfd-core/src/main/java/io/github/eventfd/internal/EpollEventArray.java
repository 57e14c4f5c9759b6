package io.github.eventfd.internal;

/**
 * A reusable native array of {@code struct epoll_event}, read and written by offset.
 *
 * <p>The kernel declares the struct packed on x86-64 only: there it is 12 bytes with the 64-bit data at
 * offset 4; on every other architecture it is 16 bytes with the data at offset 8. A struct layout
 * would silently get the x86-64 one wrong. Not API.
 */
public final class EpollEventArray {

    private final NativeBlock memory;

    private final long address;

    private final int capacity;

    private final int size;

    private final int dataOffset;

    /**
     * Allocate an array.
     * @param capacity how many events it holds, 1 or more
     */
    public EpollEventArray(int capacity) {
        this(capacity, isX86_64());
    }

    EpollEventArray(int capacity, boolean packed) {
        if (capacity < 1) {
            throw new IllegalArgumentException("'capacity' must be 1 or more but was " + capacity);
        }
        this.capacity = capacity;
        this.size = packed ? 12 : 16;
        this.dataOffset = packed ? 4 : 8;
        this.memory = NativeCalls.INSTANCE.allocate((long) capacity * this.size);
        this.address = this.memory.address();
    }

    private static boolean isX86_64() {
        String arch = System.getProperty("os.arch");
        return "amd64".equals(arch) || "x86_64".equals(arch);
    }

    /**
     * Size of one {@code struct epoll_event} on this architecture.
     * @return 12 on x86-64, 16 elsewhere
     */
    public int eventSize() {
        return this.size;
    }

    /**
     * Offset of the data field within one event.
     * @return 4 on x86-64, 8 elsewhere
     */
    public int dataOffset() {
        return this.dataOffset;
    }

    /**
     * How many events the array holds.
     * @return the capacity
     */
    public int capacity() {
        return this.capacity;
    }

    /**
     * Address of the first event, for the kernel.
     * @return the address
     */
    public long address() {
        return this.address;
    }

    /**
     * Fill event {@code index}.
     * @param index the index
     * @param events the event bits
     * @param data the 64-bit user data
     */
    public void set(int index, int events, long data) {
        long base = (long) index * this.size;
        this.memory.setInt(base, events);
        this.memory.setLong(base + this.dataOffset, data);
    }

    /**
     * The event bits of event {@code index}.
     * @param index the index
     * @return the bits
     */
    public int events(int index) {
        return this.memory.getInt((long) index * this.size);
    }

    /**
     * The user data of event {@code index}.
     * @param index the index
     * @return the data
     */
    public long data(int index) {
        return this.memory.getLong((long) index * this.size + this.dataOffset);
    }
}
