package io.github.eventfd.spring.annotation;

import java.lang.reflect.Method;

import io.github.eventfd.spring.EventFdSignalEvent;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * The SpEL condition of an {@link EventFdListener} method, parsed once at startup. {@code #count} and
 * {@code #event} are set whatever the method's parameters are called; the arguments are also there by name,
 * the root object has {@code event} and {@code args}, and {@code @name} resolves a bean.
 */
final class ListenerCondition {

    private static final SpelExpressionParser parser = new SpelExpressionParser();

    private static final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

    private final String text;

    private final Expression expression;

    private final Method method;

    private final BeanFactoryResolver beans;

    ListenerCondition(String text, Method method, BeanFactory beanFactory) {
        this.text = text;
        this.method = method;
        this.beans = new BeanFactoryResolver(beanFactory);
        try {
            this.expression = parser.parseExpression(text);
        }
        catch (ParseException ex) {
            throw new InvalidEventFdListenerException(method, text, "has a condition that is not valid SpEL ("
                    + ex.getMessage() + ")", "Write a boolean SpEL expression, for example \"#count > 10\"", ex);
        }
    }

    boolean matches(EventFdSignalEvent event, Object[] args) {
        MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(new Root(event, args), this.method, args,
                parameterNames);
        context.setBeanResolver(this.beans);
        // the arguments are loaded by name lazily, on the first variable looked up: load them now, so that
        // #count and #event below win over a parameter of either name
        context.lookupVariable("count");
        context.setVariable("count", event.getCount());
        context.setVariable("event", event);
        Object value;
        try {
            value = this.expression.getValue(context);
        }
        catch (RuntimeException ex) {
            // a SpEL error, or a bean or method the expression calls threw: the condition's failure, said so
            throw conditionFailed(event, ex);
        }
        return Boolean.TRUE.equals(value) || (value instanceof String string && Boolean.parseBoolean(string));
    }

    private IllegalStateException conditionFailed(EventFdSignalEvent event, RuntimeException cause) {
        return new IllegalStateException("the condition '" + this.text + "' of @EventFdListener method "
                + this.method.toGenericString() + " failed on " + event + ": " + cause, cause);
    }

    /**
     * The root object of the expression, as for {@code @EventListener} conditions.
     */
    public static final class Root {

        private final EventFdSignalEvent event;

        private final Object[] args;

        Root(EventFdSignalEvent event, Object[] args) {
            this.event = event;
            this.args = args;
        }

        /**
         * The delivery.
         * @return the event
         */
        public EventFdSignalEvent getEvent() {
            return this.event;
        }

        /**
         * The method's arguments.
         * @return the arguments
         */
        public Object[] getArgs() {
            return this.args;
        }
    }
}
