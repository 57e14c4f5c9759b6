package io.github.eventfd.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;

/**
 * Where a property was set (a file and line, a command-line argument), for failure reports, as Boot's own
 * reports show it.
 */
final class PropertyOrigins {

    private PropertyOrigins() {
    }

    /**
     * The origin of a property, or of the first property under it (a channel's key has no value of its own).
     * @param environment the application's environment, {@code null} before there is one
     * @param property the property
     * @return the origin, or {@code null} if it is not known
     */
    static @Nullable Origin of(@Nullable Environment environment, String property) {
        ConfigurationPropertyName name = ConfigurationPropertyName.ofIfValid(property);
        if (environment == null || name == null) {
            return null;
        }
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty found = source.getConfigurationProperty(name);
            if (found == null && source instanceof IterableConfigurationPropertySource iterable) {
                found = iterable.stream().filter(name::isAncestorOf).findFirst()
                        .map(source::getConfigurationProperty).orElse(null);
            }
            if (found != null && found.getOrigin() != null) {
                return found.getOrigin();
            }
        }
        return null;
    }
}
