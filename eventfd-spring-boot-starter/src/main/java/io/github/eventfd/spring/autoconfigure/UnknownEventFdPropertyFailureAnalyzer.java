package io.github.eventfd.spring.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Reports {@code eventfd.*} properties that nothing binds (a misspelled setting, a channel name with a dot
 * written without brackets), each with its value, origin and what it most likely meant. Ahead of Boot's own
 * analyzer of unbound properties, which would name them without the hint.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class UnknownEventFdPropertyFailureAnalyzer
        extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException> {

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
        List<ConfigurationProperty> unknown = cause.getUnboundProperties().stream()
                .filter(property -> EventFdPropertyNames.isEventFdProperty(property.getName())).toList();
        if (unknown.isEmpty()) {
            return null;
        }
        StringBuilder description = new StringBuilder("Unknown eventfd properties, which the starter would ignore:\n");
        for (ConfigurationProperty property : unknown) {
            description.append("\n    Property: ").append(property.getName()).append('\n');
            description.append("    Value: \"").append(property.getValue()).append("\"\n");
            if (property.getOrigin() != null) {
                description.append("    Origin: ").append(property.getOrigin()).append('\n');
            }
            description.append("    Reason: ").append(EventFdPropertyNames.reason(property.getName())).append('\n');
        }
        String action = "Correct or remove the properties above, as the reason of each says. A channel's settings "
                + "go under eventfd.channels.<name>, and a channel name with a dot needs brackets: "
                + "eventfd.channels[orders.created].mode (in YAML \"[orders.created]\":).";
        return new FailureAnalysis(description.toString().stripTrailing(), action, cause);
    }
}
