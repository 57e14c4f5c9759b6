package io.github.eventfd.share;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The role rules and the lock file decide who serves, one at a time. */
@EnabledOnOs(OS.LINUX)
class ElectionTest {

    @TempDir
    Path directory;

    private Election election(ShareRole role) {
        return new Election(ShareOptions.builder("orders", this.directory.resolve("run/orders.sock")).role(role).build());
    }

    @Test
    void whenNobodyServesThenAutoWinsAndCreatesTheLockBesideTheSocket() {
        Election auto = election(ShareRole.AUTO);
        assertThat(auto.tryWin()).isTrue();
        assertThat(this.directory.resolve("run/orders.sock.lock")).isRegularFile();
        auto.resign();
    }

    @Test
    void whenOneHoldsTheLockThenAnotherLosesUntilItResigns() {
        Election first = election(ShareRole.AUTO);
        Election second = election(ShareRole.AUTO);
        assertThat(first.tryWin()).isTrue();
        assertThat(second.tryWin()).isFalse();
        first.resign();
        assertThat(second.tryWin()).isTrue();
        second.resign();
    }

    @Test
    void whenRoleIsAttachThenItNeverWinsEvenWhenNobodyServes() {
        assertThat(election(ShareRole.ATTACH).tryWin()).isFalse();
        assertThat(this.directory.resolve("run/orders.sock.lock")).doesNotExist();
    }

    @Test
    void whenRoleIsOwnerAndAnotherServesThenItFailsNamingTheSocket() {
        Election server = election(ShareRole.AUTO);
        assertThat(server.tryWin()).isTrue();
        assertThatExceptionOfType(ShareException.class).isThrownBy(() -> election(ShareRole.OWNER).tryWin())
                .withMessageContaining("has role owner but another process serves")
                .withMessageContaining("orders.sock");
        server.resign();
    }
}
