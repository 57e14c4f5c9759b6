package io.github.eventfd.spring.autoconfigure;

import java.io.Serial;

import org.jspecify.annotations.Nullable;

/**
 * An {@code eventfd.*} property has a value the starter cannot use. It names the property, the value, the rule
 * the value breaks and how to fix it, for the "APPLICATION FAILED TO START" report.
 */
public class InvalidEventFdPropertyException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String property;

    private final transient @Nullable Object value;

    private final String problem;

    private final String action;

    /**
     * Create the exception.
     * @param property the property, for example {@code eventfd.channels[orders].share.socket}
     * @param value the value refused, or {@code null} when the problem names it
     * @param problem what is wrong and what is allowed, for example {@code must be between 1 and 4096 but was 0}
     * @param action how to fix it
     * @param cause the refusal of the value where it was checked, or {@code null}
     */
    public InvalidEventFdPropertyException(String property, @Nullable Object value, String problem, String action,
            @Nullable Throwable cause) {
        super("'" + property + "' " + problem, cause);
        this.property = property;
        this.value = value;
        this.problem = problem;
        this.action = action;
    }

    /**
     * The property.
     * @return its name
     */
    public String getProperty() {
        return this.property;
    }

    /**
     * The value refused.
     * @return the value, or {@code null} when only the problem names it
     */
    public @Nullable Object getValue() {
        return this.value;
    }

    /**
     * What is wrong and what is allowed.
     * @return the problem, without the property's name
     */
    public String getProblem() {
        return this.problem;
    }

    /**
     * How to fix it.
     * @return the action
     */
    public String getAction() {
        return this.action;
    }
}
