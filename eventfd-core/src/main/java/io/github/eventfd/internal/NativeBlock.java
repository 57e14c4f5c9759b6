package io.github.eventfd.internal;

/**
 * A block of native memory, zeroed when allocated, that the system calls read and write by address; the
 * backend in use ({@link NativeCalls}) allocates it, so that no other native library is loaded for memory.
 * Obtain one with {@link NativeCalls#allocate(long)} (any thread, freed when unreachable) or
 * {@link NativeCalls#allocateTemporary(long)} (the allocating thread only, freed by {@link #close()}).
 * Not API.
 */
public abstract class NativeBlock implements AutoCloseable {

    /**
     * Address of the first byte, for the kernel.
     * @return the address
     */
    public abstract long address();

    /**
     * Size of the block.
     * @return the size in bytes
     */
    public abstract long size();

    /**
     * Read a long at an offset.
     * @param offset the offset in bytes
     * @return the value, native byte order
     */
    public abstract long getLong(long offset);

    /**
     * Write a long at an offset.
     * @param offset the offset in bytes
     * @param value the value, native byte order
     */
    public abstract void setLong(long offset, long value);

    /**
     * Read an int at an offset.
     * @param offset the offset in bytes
     * @return the value, native byte order
     */
    public abstract int getInt(long offset);

    /**
     * Write an int at an offset.
     * @param offset the offset in bytes
     * @param value the value, native byte order
     */
    public abstract void setInt(long offset, int value);

    /**
     * Read a short at an offset.
     * @param offset the offset in bytes
     * @return the value, native byte order
     */
    public abstract short getShort(long offset);

    /**
     * Write a short at an offset.
     * @param offset the offset in bytes
     * @param value the value, native byte order
     */
    public abstract void setShort(long offset, short value);

    /**
     * Copy bytes into the block.
     * @param offset where in the block
     * @param source the bytes
     * @param index the first byte of {@code source} to copy
     * @param length how many bytes
     */
    public abstract void write(long offset, byte[] source, int index, int length);

    /**
     * Copy bytes out of the block.
     * @param offset where in the block
     * @param length how many bytes
     * @return the bytes
     */
    public abstract byte[] read(long offset, int length);

    /** Free the block: a temporary block must be closed; one from {@code allocate} may be left to the GC. */
    @Override
    public abstract void close();
}
