package io.github.eventfd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

class EventFdSupportTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void whenLinuxThenAvailableWithoutCause() {
        assertThat(EventFdSupport.isAvailable()).isTrue();
        assertThat(EventFdSupport.unavailabilityCause()).isNull();
        assertThatNoException().isThrownBy(EventFdSupport::ensureAvailability);
    }
}
