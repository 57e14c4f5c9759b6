package io.github.eventfd.spring.autoconfigure;

import io.github.eventfd.spring.annotation.InvalidEventFdListenerException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link InvalidEventFdListenerException}: the method, the value of its annotation, the rule it
 * breaks and the fix.
 */
final class InvalidEventFdListenerFailureAnalyzer extends AbstractFailureAnalyzer<InvalidEventFdListenerException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidEventFdListenerException cause) {
        String description = "Invalid @EventFdListener method:\n\n"
                + "    Method: " + cause.getMethod() + "\n"
                + "    Value: \"" + cause.getValue() + "\"\n"
                + "    Reason: " + cause.getProblem();
        return new FailureAnalysis(description, cause.getAction(), cause);
    }
}
