package io.github.eventfd.spring.channel;

/**
 * What to do where eventfd(2) is not available (for example on macOS or Windows). Where in-JVM counters are
 * used, a channel configured to be shared between processes runs in this process only, with a warning that
 * names it.
 */
public enum FallbackPolicy {

    /** Use eventfd where available; elsewhere log a warning and use in-JVM counters. */
    AUTO,

    /** Always use in-JVM counters, even on Linux: useful in tests. */
    IN_MEMORY,

    /** Stop startup with a clear message where eventfd is not available. */
    FAIL
}
