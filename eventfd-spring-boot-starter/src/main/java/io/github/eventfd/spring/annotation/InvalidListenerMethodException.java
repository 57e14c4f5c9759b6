package io.github.eventfd.spring.annotation;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

/**
 * An {@link EventFdListener} method that cannot be used as declared: startup fails naming the method, what is
 * wrong and how to fix it.
 */
public class InvalidListenerMethodException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient Method method;

    private final String problem;

    private final String fix;

    /**
     * Create the exception.
     * @param method the annotated method
     * @param problem what is wrong, completing "@EventFdListener method m(...) "
     * @param fix what to do instead
     * @param cause what was found wrong first, if anything
     */
    public InvalidListenerMethodException(Method method, String problem, String fix, @Nullable Throwable cause) {
        super("@EventFdListener method " + method.toGenericString() + " " + problem + "; " + fix, cause);
        this.method = method;
        this.problem = problem;
        this.fix = fix;
    }

    /**
     * The annotated method.
     * @return the method
     */
    public Method getMethod() {
        return this.method;
    }

    /**
     * What is wrong with it.
     * @return the problem, completing "@EventFdListener method m(...) "
     */
    public String getProblem() {
        return this.problem;
    }

    /**
     * How to fix it.
     * @return the fix
     */
    public String getFix() {
        return this.fix;
    }
}
