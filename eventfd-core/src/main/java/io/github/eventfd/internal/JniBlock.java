package io.github.eventfd.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Native memory of the JNI backend, seen through a direct buffer in native byte order: one from
 * {@link ByteBuffer#allocateDirect} (freed when unreachable, any thread), or one over {@code calloc} memory that
 * {@link #close()} frees (the allocating thread only). A closed temporary block refuses every access, so no
 * read or write reaches freed memory.
 */
final class JniBlock extends NativeBlock {

    private final ByteBuffer buffer;

    private final long address;

    private final boolean temporary;

    private boolean closed;

    private JniBlock(ByteBuffer buffer, boolean temporary) {
        this.buffer = buffer.order(ByteOrder.nativeOrder());
        this.address = JniCalls.bufferAddress(buffer);
        this.temporary = temporary;
    }

    static JniBlock lasting(long size) {
        return new JniBlock(ByteBuffer.allocateDirect(intSize(size)), false);
    }

    static JniBlock temporary(long size) {
        ByteBuffer buffer = JniCalls.allocateZeroed(intSize(size));
        if (buffer == null) {
            throw new OutOfMemoryError("calloc of " + size + " bytes failed");
        }
        return new JniBlock(buffer, true);
    }

    private static int intSize(long size) {
        if (size <= 0 || size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a block of " + size + " bytes: 1 to " + Integer.MAX_VALUE);
        }
        return (int) size;
    }

    private ByteBuffer open() {
        if (this.closed) {
            throw new IllegalStateException("this native block is closed");
        }
        return this.buffer;
    }

    @Override
    public long address() {
        open();
        return this.address;
    }

    @Override
    public long size() {
        return this.buffer.capacity();
    }

    @Override
    public long getLong(long offset) {
        return open().getLong(Math.toIntExact(offset));
    }

    @Override
    public void setLong(long offset, long value) {
        open().putLong(Math.toIntExact(offset), value);
    }

    @Override
    public int getInt(long offset) {
        return open().getInt(Math.toIntExact(offset));
    }

    @Override
    public void setInt(long offset, int value) {
        open().putInt(Math.toIntExact(offset), value);
    }

    @Override
    public short getShort(long offset) {
        return open().getShort(Math.toIntExact(offset));
    }

    @Override
    public void setShort(long offset, short value) {
        open().putShort(Math.toIntExact(offset), value);
    }

    @Override
    public void write(long offset, byte[] source, int index, int length) {
        open().put(Math.toIntExact(offset), source, index, length);
    }

    @Override
    public byte[] read(long offset, int length) {
        byte[] bytes = new byte[length];
        open().get(Math.toIntExact(offset), bytes, 0, length);
        return bytes;
    }

    @Override
    public void close() {
        if (this.temporary && !this.closed) {
            this.closed = true;
            JniCalls.free0(this.address);
        }
    }
}
