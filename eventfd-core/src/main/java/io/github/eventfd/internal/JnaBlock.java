package io.github.eventfd.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/** Native memory of the JNA backend: a JNA {@link Memory}, freed by {@link #close()} or when unreachable. */
final class JnaBlock extends NativeBlock {

    private final Memory memory;

    private final long address;

    JnaBlock(long size) {
        this.memory = new Memory(size);
        this.memory.clear();
        this.address = Pointer.nativeValue(this.memory);
    }

    @Override
    public long address() {
        return this.address;
    }

    @Override
    public long size() {
        return this.memory.size();
    }

    @Override
    public long getLong(long offset) {
        return this.memory.getLong(offset);
    }

    @Override
    public void setLong(long offset, long value) {
        this.memory.setLong(offset, value);
    }

    @Override
    public int getInt(long offset) {
        return this.memory.getInt(offset);
    }

    @Override
    public void setInt(long offset, int value) {
        this.memory.setInt(offset, value);
    }

    @Override
    public short getShort(long offset) {
        return this.memory.getShort(offset);
    }

    @Override
    public void setShort(long offset, short value) {
        this.memory.setShort(offset, value);
    }

    @Override
    public void write(long offset, byte[] source, int index, int length) {
        this.memory.write(offset, source, index, length);
    }

    @Override
    public byte[] read(long offset, int length) {
        return this.memory.getByteArray(offset, length);
    }

    @Override
    public void close() {
        this.memory.close();
    }
}
