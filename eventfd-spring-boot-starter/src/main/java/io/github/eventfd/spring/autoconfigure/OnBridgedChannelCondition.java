package io.github.eventfd.spring.autoconfigure;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.eventfd.spring.bridge.BridgeEngine;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition of {@link ConditionalOnBridgedChannel}: binds {@code eventfd.channels} as the properties do (relaxed
 * names, environment variables included) and looks for a channel whose {@code bridge} is the engine. Channel
 * properties that do not bind count as a match: the bridge's configuration goes on, and the binding of {@link
 * EventFdProperties} reports the bad value with Boot's failure report. Without an engine named (the attacher of
 * bridged channels) it matches while the application is processed ahead of time ({@code process-aot}), whose
 * generated code has no conditions left: a channel bridged only in the properties it starts with is attached, or
 * fails startup naming its property, instead of being left local in silence.
 */
final class OnBridgedChannelCondition extends SpringBootCondition {

    private static final Bindable<Map<String, EventFdProperties.Channel>> CHANNELS = Bindable.mapOf(String.class,
            EventFdProperties.Channel.class);

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, @Nullable Object> attributes = metadata
                .getAnnotationAttributes(ConditionalOnBridgedChannel.class.getName());
        List<BridgeEngine> engines = engines((attributes != null) ? attributes.get("value") : null);
        String property = EventFdPropertyNames.PREFIX + ".channels.<name>.bridge";
        ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnBridgedChannel.class,
                engines.isEmpty() ? "" : engines.toString().toLowerCase(Locale.ROOT));
        if (engines.isEmpty() && Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)) {
            // the generated code keeps what is decided now, and a channel may be bridged when the application
            // starts: what attaches it stays, to attach it or to fail startup naming the property where its
            // engine's bridge was left out, rather than leave the channel on this host without a word
            return ConditionOutcome.match(message.because("processing ahead of time, before the properties that "
                    + "the application starts with are known"));
        }
        Map<String, EventFdProperties.Channel> channels;
        try {
            channels = Binder.get(context.getEnvironment()).bind(EventFdPropertyNames.PREFIX + ".channels", CHANNELS)
                    .orElse(Map.of());
        }
        catch (BindException ex) {
            return ConditionOutcome.match(message.because("channel properties that do not bind, reported by "
                    + EventFdProperties.class.getSimpleName()));
        }
        for (Map.Entry<String, EventFdProperties.Channel> entry : channels.entrySet()) {
            BridgeEngine bridge = entry.getValue().getBridge();
            if (bridge != BridgeEngine.NONE && (engines.isEmpty() || engines.contains(bridge))) {
                return ConditionOutcome.match(message.found("bridged channel").items(entry.getKey()));
            }
        }
        return ConditionOutcome.noMatch(message.didNotFind("channel with " + property).atAll());
    }

    /** The engines the annotation names: none means any. */
    private static List<BridgeEngine> engines(@Nullable Object value) {
        if (value instanceof BridgeEngine[] named) {
            return List.of(named);
        }
        return (value instanceof BridgeEngine named) ? List.of(named) : List.of();
    }
}
