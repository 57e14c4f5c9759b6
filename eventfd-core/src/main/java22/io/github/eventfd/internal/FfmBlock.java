package io.github.eventfd.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.jspecify.annotations.Nullable;

/**
 * Native memory of the FFM backend: a segment of an automatic arena (freed when unreachable, any thread) or
 * of a confined one (the allocating thread, freed by {@link #close()}). Accesses are unaligned, as the
 * packed {@code struct epoll_event} of x86-64 needs.
 */
final class FfmBlock extends NativeBlock {

    private static final long ALIGNMENT = 16;

    private final MemorySegment segment;

    private final @Nullable Arena confined;

    private FfmBlock(MemorySegment segment, @Nullable Arena confined) {
        this.segment = segment;
        this.confined = confined;
    }

    static FfmBlock lasting(long size) {
        return new FfmBlock(Arena.ofAuto().allocate(size, ALIGNMENT), null);
    }

    static FfmBlock temporary(long size) {
        Arena arena = Arena.ofConfined();
        return new FfmBlock(arena.allocate(size, ALIGNMENT), arena);
    }

    @Override
    public long address() {
        return this.segment.address();
    }

    @Override
    public long size() {
        return this.segment.byteSize();
    }

    @Override
    public long getLong(long offset) {
        return this.segment.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
    }

    @Override
    public void setLong(long offset, long value) {
        this.segment.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, value);
    }

    @Override
    public int getInt(long offset) {
        return this.segment.get(ValueLayout.JAVA_INT_UNALIGNED, offset);
    }

    @Override
    public void setInt(long offset, int value) {
        this.segment.set(ValueLayout.JAVA_INT_UNALIGNED, offset, value);
    }

    @Override
    public short getShort(long offset) {
        return this.segment.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset);
    }

    @Override
    public void setShort(long offset, short value) {
        this.segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset, value);
    }

    @Override
    public void write(long offset, byte[] source, int index, int length) {
        MemorySegment.copy(source, index, this.segment, ValueLayout.JAVA_BYTE, offset, length);
    }

    @Override
    public byte[] read(long offset, int length) {
        byte[] bytes = new byte[length];
        MemorySegment.copy(this.segment, ValueLayout.JAVA_BYTE, offset, bytes, 0, length);
        return bytes;
    }

    @Override
    public void close() {
        if (this.confined != null) {
            this.confined.close();
        }
    }
}
