package io.github.eventfd.bench;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/** A pinned thread runs where it was pinned, and a placement that was not kept is reported as such. */
@EnabledOnOs(OS.LINUX)
class PlacementTest {

    @Test
    void whenAThreadPinsItselfThenItRunsOnlyOnThatCpuAndThePlacementHolds() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        Placement placement = Placement.crossCpu(0, cpus - 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread echo = new Thread(() -> {
            try {
                for (int i = 0; i < 3 * Placement.SAMPLE_EVERY; i++) {
                    placement.tick();
                    assertThat(Affinity.currentCpu()).isEqualTo(cpus - 1);
                }
            }
            catch (Throwable ex) {
                failure.set(ex);
            }
        });
        long[] mask = Affinity.currentMask();
        try {
            placement.pin(0);
            echo.start();
            echo.join();
            for (int i = 0; i < 1_000; i++) {
                assertThat(Affinity.currentCpu()).isZero();
            }
            placement.sample(0);
        }
        finally {
            Affinity.restore(mask);
        }
        assertThat(failure.get()).isNull();
        assertThat(placement.held()).isTrue();
        assertThat(placement.cell()).isEqualTo("cpu0+cpu" + (cpus - 1));
    }

    @Test
    void whenASideWasSeenElsewhereThenThePlacementDoesNotHoldAndTheCellSaysWhere() {
        Placement placement = Placement.sameCpu(0);
        placement.record(0, 0);
        placement.record(1, 1);
        assertThat(placement.held()).isFalse();
        assertThat(placement.cell()).isEqualTo("cpu0+cpu0 NOT HELD (seen cpu0+cpu1)");
    }

    @Test
    void whenTheCProgramRunsPinnedThenItReportsItsPlacement() throws Exception {
        CFloor c = CFloor.compile(java.nio.file.Files.createTempDirectory("eventfd-placement"));
        Placement same = Placement.sameCpu(0);
        c.pingPong("threads", "epoll", 2_000, 200, same, 0);
        assertThat(same.held()).as(same.cell()).isTrue();
        int cpus = Runtime.getRuntime().availableProcessors();
        Placement cross = Placement.crossCpu(0, cpus - 1);
        c.pingPong("processes", "blocking", 2_000, 200, cross, 0);
        assertThat(cross.held()).as(cross.cell()).isTrue();
    }
}
