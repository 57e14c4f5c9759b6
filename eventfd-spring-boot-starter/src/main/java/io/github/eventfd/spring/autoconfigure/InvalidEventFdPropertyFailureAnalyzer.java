package io.github.eventfd.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;

/**
 * Reports an {@link InvalidEventFdPropertyException}: the property, its value and where it was set, the rule it
 * breaks and the fix.
 */
final class InvalidEventFdPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidEventFdPropertyException> {

    private final @Nullable Environment environment;

    InvalidEventFdPropertyFailureAnalyzer(@Nullable Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidEventFdPropertyException cause) {
        StringBuilder description = new StringBuilder();
        description.append("Invalid eventfd configuration property '").append(cause.getProperty()).append("':\n\n");
        description.append("    Property: ").append(cause.getProperty()).append('\n');
        if (cause.getValue() != null) {
            description.append("    Value: \"").append(cause.getValue()).append("\"\n");
        }
        Origin origin = PropertyOrigins.of(this.environment, cause.getProperty());
        if (origin != null) {
            description.append("    Origin: ").append(origin).append('\n');
        }
        description.append("    Reason: ").append(cause.getProblem());
        return new FailureAnalysis(description.toString(), cause.getAction(), cause);
    }
}
