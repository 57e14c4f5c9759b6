package io.github.eventfd.spring.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.eventfd.spring.channel.FallbackPolicy;
import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.json.JsonParserFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration processor documents every property, so IDEs complete them. The settings of a channel are
 * inside a map value, where Boot's metadata format has no entries: the map's description names each.
 */
class ConfigurationMetadataTests {

    @Test
    void whenBuiltThenMetadataListsEveryPropertyWithADescription() throws Exception {
        String metadata;
        try (InputStream in = EventFdProperties.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).isNotNull();
            metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String property : new String[] { "eventfd.enabled", "eventfd.fallback", "eventfd.channels",
                "eventfd.poller.thread-name", "eventfd.poller.max-events-per-wait", "eventfd.listener.executor-threads",
                "eventfd.shutdown.drain-timeout", "management.health.eventfd.enabled", "eventfd.bridge.host-id",
                "eventfd.bridge.redis.channel-prefix", "eventfd.bridge.redis.key-prefix",
                "eventfd.bridge.redis.flush-interval", "eventfd.bridge.redis.claim-batch",
                "eventfd.bridge.redis.timeout" }) {
            assertThat(metadata).contains("\"name\": \"" + property + "\"");
        }
        assertThat(metadata).contains("Maximum time shutdown waits for running listeners")
                .contains("\"defaultValue\": \"5s\"").contains("\"defaultValue\": \"eventfd-poller\"")
                .contains("'signal-timing' ('after-commit', the default, or 'immediate'")
                .contains("'bridge' ('none', the default, or 'redis'").contains("\"defaultValue\": \"eventfd:channel:\"");
    }

    @Test
    void whenBuiltThenMetadataDocumentsEachSettingOfAChannelWithItsValues() throws Exception {
        Map<String, Object> channels = entry("properties", "eventfd.channels");
        assertThat(channels.get("type")).asString().contains(EventFdProperties.Channel.class.getName());
        String description = (String) channels.get("description");
        // every setting of a channel and of its sharing, as Boot binds them, and every value of each enum setting
        Map<String, Class<?>> settings = new LinkedHashMap<>(settings("", EventFdProperties.Channel.class));
        settings.putAll(settings("share.", EventFdProperties.Share.class));
        assertThat(settings).containsKeys("mode", "initial-value", "share.socket", "share.allowed-uids");
        settings.forEach((setting, type) -> {
            assertThat(description).as("description of eventfd.channels").contains("'" + setting + "'");
            if (type.isEnum()) {
                for (Object constant : type.getEnumConstants()) {
                    assertThat(description).as(setting).contains("'" + kebab((Enum<?>) constant) + "'");
                }
            }
        });
    }

    @Test
    void whenBuiltThenMetadataHintsChannelNamesAndFallbackValues() throws Exception {
        assertThat(values(entry("hints", "eventfd.channels.keys"))).containsKey("default");
        assertThat(entry("hints", "eventfd.channels.keys").get("providers")).asString().contains("any");
        Map<String, String> fallback = values(entry("hints", "eventfd.fallback"));
        for (FallbackPolicy policy : FallbackPolicy.values()) {
            assertThat(fallback.get(kebab(policy))).as(policy.name()).isNotBlank();
        }
    }

    /** The bean properties Boot binds under a channel, by their names in properties files. */
    private static Map<String, Class<?>> settings(String prefix, Class<?> type) {
        Map<String, Class<?>> settings = new LinkedHashMap<>();
        for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
            if (!property.getName().equals("class") && property.getPropertyType() != EventFdProperties.Share.class) {
                settings.put(prefix + property.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT),
                        property.getPropertyType());
            }
        }
        return settings;
    }

    private static String kebab(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> values(Map<String, Object> hint) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Object value : (List<Object>) hint.get("values")) {
            Map<String, Object> entry = (Map<String, Object>) value;
            values.put((String) entry.get("value"), (String) entry.get("description"));
        }
        return values;
    }

    /** An entry of the packaged metadata, by section and name. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> entry(String section, String name) throws Exception {
        String json;
        try (InputStream in = EventFdProperties.class.getResourceAsStream(
                "/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).isNotNull();
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Object> entries = (List<Object>) JsonParserFactory.getJsonParser().parseMap(json).getOrDefault(section,
                List.of());
        return entries.stream()
            .map(entry -> (Map<String, Object>) entry)
            .filter(entry -> name.equals(entry.get("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + name + " in the " + section + " of the metadata"));
    }
}
