package io.github.eventfd.internal;

import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jspecify.annotations.Nullable;

/**
 * Run with {@code -Deventfd.native=...}: captures what {@link NativeCalls} logs while it chooses its backend
 * (through a {@code java.util.logging} handler on its logger, where {@code System.Logger} goes by default)
 * and prints {@code backend=<name>} and one {@code log <LEVEL>: <message>} line per record; with argument
 * {@code support}, then what {@link io.github.eventfd.EventFdSupport} says ({@code available=... cause=...}).
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
                        .formatMessage(record) + ((record.getThrown() != null) ? " (" + chain(record.getThrown()) + ")" : ""));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        System.out.println("backend=" + NativeCalls.INSTANCE.name());
        if (args.length > 0 && args[0].equals("support")) {
            System.out.println("available=" + io.github.eventfd.EventFdSupport.isAvailable() + " cause="
                    + chain(io.github.eventfd.EventFdSupport.unavailabilityCause()));
        }
    }

    /** A throwable and its causes, each as its {@code toString()}. */
    private static String chain(@Nullable Throwable throwable) {
        StringBuilder text = new StringBuilder(String.valueOf(throwable));
        for (Throwable cause = (throwable != null) ? throwable.getCause() : null; cause != null;
                cause = cause.getCause()) {
            text.append(" caused by ").append(cause);
        }
        return text.toString();
    }
}
