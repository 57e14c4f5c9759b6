package io.github.eventfd.spring.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;

/**
 * The names of the {@code eventfd.*} properties, read from {@link EventFdProperties} itself, and what a name
 * that is none of them most likely meant: for the report of a property that would be ignored.
 */
final class EventFdPropertyNames {

    static final String PREFIX = "eventfd";

    private static final String CHANNELS = "channels";

    private EventFdPropertyNames() {
    }

    /**
     * The settings of one channel, under {@code eventfd.channels.<name>}.
     * @return their names, dashed and sorted, for example {@code share.socket}
     */
    static List<String> channelSettings() {
        return names(EventFdProperties.Channel.class);
    }

    /**
     * The properties directly under {@code eventfd}.
     * @return their names, dashed and sorted; channels as {@code channels[<name>].*}
     */
    static List<String> topLevel() {
        return names(EventFdProperties.class);
    }

    /**
     * Whether a property is under {@code eventfd}.
     */
    static boolean isEventFdProperty(ConfigurationPropertyName name) {
        return name.getNumberOfElements() > 1 && PREFIX.equals(name.getElement(0, Form.UNIFORM));
    }

    /**
     * Why a property under {@code eventfd} is none of the starter's, and what it most likely meant.
     * @param name a property that nothing binds
     * @return the reason, for a failure report
     */
    static String reason(ConfigurationPropertyName name) {
        if (!CHANNELS.equals(name.getElement(1, Form.UNIFORM)) || name.getNumberOfElements() < 4) {
            return "there is no such eventfd property; they are " + String.join(", ", topLevel());
        }
        String channel = name.getElement(2, Form.ORIGINAL);
        List<String> rest = new ArrayList<>();
        for (int i = 3; i < name.getNumberOfElements(); i++) {
            rest.add(name.getElement(i, Form.DASHED));
        }
        List<String> settings = channelSettings();
        for (int split = 1; split < rest.size(); split++) {
            String setting = String.join(".", rest.subList(split, rest.size()));
            if (settings.contains(setting)) {
                String dotted = channel + "." + String.join(".", rest.subList(0, split));
                return "channel '" + channel + "' has no setting '" + String.join(".", rest) + "': a channel name "
                        + "with a dot needs brackets, eventfd.channels[" + dotted + "]." + setting + " (in YAML \"["
                        + dotted + "]\":)";
            }
        }
        return "channel '" + channel + "' has no setting '" + String.join(".", rest) + "'; the settings of a channel "
                + "are " + String.join(", ", settings);
    }

    private static List<String> names(Class<?> type) {
        TreeSet<String> names = new TreeSet<>();
        for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
            if (property.getReadMethod() == null || "class".equals(property.getName())) {
                continue;
            }
            String name = DataObjectPropertyName.toDashedForm(property.getName());
            Class<?> propertyType = property.getPropertyType();
            if (Map.class.isAssignableFrom(propertyType)) {
                names.add(name + "[<name>].*");
            }
            else if (propertyType.getEnclosingClass() == EventFdProperties.class) {
                names(propertyType).forEach(nested -> names.add(name + "." + nested));
            }
            else {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }
}
