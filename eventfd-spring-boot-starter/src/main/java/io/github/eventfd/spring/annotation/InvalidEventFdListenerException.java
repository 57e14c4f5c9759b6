package io.github.eventfd.spring.annotation;

import java.io.Serial;
import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

/**
 * An {@link EventFdListener} method is declared in a way the starter cannot use. It names the method, the value
 * of the annotation, the rule it breaks and how to fix it, for the "APPLICATION FAILED TO START" report.
 */
public class InvalidEventFdListenerException extends IllegalStateException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String method;

    private final String value;

    private final String problem;

    private final String action;

    /**
     * Create the exception.
     * @param method the annotated method
     * @param value the value of the annotation that is refused
     * @param problem what is wrong and what is allowed
     * @param action how to fix it
     */
    public InvalidEventFdListenerException(Method method, String value, String problem, String action) {
        this(method, value, problem, action, null);
    }

    /**
     * Create the exception with what was found wrong first.
     * @param method the annotated method
     * @param value the value of the annotation, or the part of the method, that is refused
     * @param problem what is wrong and what is allowed
     * @param action how to fix it
     * @param cause what was found wrong first, if anything
     */
    public InvalidEventFdListenerException(Method method, String value, String problem, String action,
            @Nullable Throwable cause) {
        super("@EventFdListener method " + method.toGenericString() + " " + problem + ". " + action, cause);
        this.method = method.toGenericString();
        this.value = value;
        this.problem = problem;
        this.action = action;
    }

    /**
     * The annotated method.
     * @return its declaring class, name and parameters
     */
    public String getMethod() {
        return this.method;
    }

    /**
     * The value of the annotation that is refused.
     * @return the value
     */
    public String getValue() {
        return this.value;
    }

    /**
     * What is wrong and what is allowed.
     * @return the problem, without the method
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
