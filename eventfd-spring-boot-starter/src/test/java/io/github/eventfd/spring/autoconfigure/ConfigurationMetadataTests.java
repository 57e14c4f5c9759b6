package io.github.eventfd.spring.autoconfigure;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration processor documents every property, so IDEs complete them. */
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
                "eventfd.shutdown.drain-timeout", "management.health.eventfd.enabled" }) {
            assertThat(metadata).contains("\"name\": \"" + property + "\"");
        }
        assertThat(metadata).contains("Maximum time shutdown waits for running listeners")
                .contains("\"defaultValue\": \"5s\"").contains("\"defaultValue\": \"eventfd-poller\"")
                .contains("'signal-timing' ('after-commit', the default, or 'immediate'");
    }
}
