package io.github.eventfd.internal;

import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Run with {@code -Deventfd.native=...}: captures what {@link NativeCalls} logs while it chooses its backend
 * (through a {@code java.util.logging} handler on its logger, where {@code System.Logger} goes by default)
 * and prints {@code backend=<name>} and one {@code log <LEVEL>: <message>} line per record.
 */
public final class NativeBackendProbe {

    private NativeBackendProbe() {
    }

    public static void main(String[] args) {
        Logger logger = Logger.getLogger(NativeCalls.class.getName());
        logger.setUseParentHandlers(false);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                System.out.println("log " + record.getLevel() + ": " + new java.util.logging.SimpleFormatter()
                        .formatMessage(record) + ((record.getThrown() != null) ? " (" + record.getThrown() + ")" : ""));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        System.out.println("backend=" + NativeCalls.INSTANCE.name());
    }
}
