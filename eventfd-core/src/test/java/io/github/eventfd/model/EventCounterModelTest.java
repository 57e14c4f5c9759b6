package io.github.eventfd.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

import io.github.eventfd.EventCounter;
import io.github.eventfd.EventFd;
import io.github.eventfd.EventFdMode;
import io.github.eventfd.InMemoryEventCounter;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of operations run against the real {@link EventFd}, the {@link InMemoryEventCounter}
 * and the {@link CounterModel}; every result and every exception type must agree.
 */
class EventCounterModelTest {

    private static final int SEQUENCES = 1_000;

    /** One step of a sequence. */
    sealed interface Step {
    }

    record Signal(long n) implements Step {
    }

    record SignalOne() implements Step {
    }

    record SignalUnsigned(long n) implements Step {
    }

    record TryRead() implements Step {
    }

    record ReadWithoutWaiting() implements Step {
    }

    record ReadNegativeTimeout() implements Step {
    }

    record Pending() implements Step {
    }

    record Close() implements Step {
    }

    /** The first step: the counter's mode and initial value (possibly invalid). */
    record Create(EventFdMode mode, long initialValue) implements Step {
    }

    private static long anyValue(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> 0;
            case 1 -> -1L;
            case 2 -> Long.MAX_VALUE;
            case 3 -> EventFd.MAX_COUNT;
            case 4 -> EventFd.MAX_COUNT - random.nextInt(3);
            case 5 -> random.nextLong();
            case 6 -> -random.nextInt(100);
            default -> 1 + random.nextInt(100);
        };
    }

    static List<Step> sequence(Random random) {
        List<Step> steps = new ArrayList<>();
        long initial = switch (random.nextInt(8)) {
            case 0 -> -1;
            case 1 -> EventFd.MAX_INITIAL_VALUE;
            case 2 -> EventFd.MAX_INITIAL_VALUE + 1;
            default -> random.nextInt(10);
        };
        steps.add(new Create(random.nextBoolean() ? EventFdMode.COUNTER : EventFdMode.SEMAPHORE, initial));
        int length = 1 + random.nextInt(40);
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(100);
            Step step;
            if (pick < 25) {
                step = new Signal(anyValue(random));
            }
            else if (pick < 40) {
                step = new SignalOne();
            }
            else if (pick < 52) {
                step = new SignalUnsigned(anyValue(random));
            }
            else if (pick < 70) {
                step = new TryRead();
            }
            else if (pick < 78) {
                step = new ReadWithoutWaiting();
            }
            else if (pick < 80) {
                step = new ReadNegativeTimeout();
            }
            else if (pick < 97) {
                step = new Pending();
            }
            else {
                step = new Close();
            }
            steps.add(step);
        }
        return steps;
    }

    /** What a call did: a value, or the type of exception it threw. */
    private static String outcome(Callable<Object> call) {
        try {
            Object value = call.call();
            return (value instanceof Long number) ? "value " + Long.toUnsignedString(number) : "ok";
        }
        catch (Exception ex) {
            return ex.getClass().getSimpleName();
        }
    }

    static String check(List<Step> steps, BiFunction<EventFdMode, Long, EventCounter> factory) {
        if (!(steps.get(0) instanceof Create create)) {
            // shrinking may drop the first step; such a sequence is not a test case
            return null;
        }
        CounterModel[] model = new CounterModel[1];
        EventCounter[] real = new EventCounter[1];
        String expected = outcome(() -> model[0] = new CounterModel(create.mode(), create.initialValue()));
        String actual = outcome(() -> real[0] = factory.apply(create.mode(), create.initialValue()));
        if (!expected.equals(actual)) {
            return "create: model " + expected + ", real " + actual;
        }
        if (real[0] == null) {
            return null;
        }
        try (EventCounter counter = real[0]) {
            for (int i = 1; i < steps.size(); i++) {
                Step step = steps.get(i);
                CounterModel m = model[0];
                if (step instanceof Signal s) {
                    expected = outcome(() -> { m.signal(s.n(), false); return null; });
                    actual = outcome(() -> { counter.signal(s.n()); return null; });
                }
                else if (step instanceof SignalOne) {
                    expected = outcome(() -> { m.signal(1, false); return null; });
                    actual = outcome(() -> { counter.signal(); return null; });
                }
                else if (step instanceof SignalUnsigned s) {
                    expected = outcome(() -> { m.signal(s.n(), true); return null; });
                    actual = outcome(() -> { counter.signalUnsigned(s.n()); return null; });
                }
                else if (step instanceof TryRead) {
                    expected = outcome(m::read);
                    actual = outcome(counter::tryRead);
                }
                else if (step instanceof ReadWithoutWaiting) {
                    expected = outcome(m::read);
                    actual = outcome(() -> counter.read(Duration.ZERO));
                }
                else if (step instanceof ReadNegativeTimeout) {
                    expected = "IllegalArgumentException";
                    actual = outcome(() -> counter.read(Duration.ofNanos(-1)));
                }
                else if (step instanceof Pending) {
                    expected = outcome(m::pending);
                    actual = outcome(counter::pendingCount);
                }
                else if (step instanceof Close) {
                    m.close();
                    counter.close();
                    expected = "ok";
                    actual = "ok";
                }
                else {
                    throw new IllegalStateException("unexpected step " + step);
                }
                if (!expected.equals(actual)) {
                    return "step " + i + " " + step + ": model " + expected + ", real " + actual;
                }
            }
        }
        return null;
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void whenRandomSequencesRunAgainstEventFdThenEveryResultMatchesTheModel() throws Exception {
        int checked = PropertyRunner.forAll("EventFd matches the model", SEQUENCES, EventCounterModelTest::sequence,
                steps -> check(steps, EventFd::create));
        assertThat(checked).isEqualTo(SEQUENCES);
    }

    @Test
    void whenRandomSequencesRunAgainstInMemoryCounterThenEveryResultMatchesTheModel() throws Exception {
        int checked = PropertyRunner.forAll("InMemoryEventCounter matches the model", SEQUENCES,
                EventCounterModelTest::sequence, steps -> check(steps, InMemoryEventCounter::new));
        assertThat(checked).isEqualTo(SEQUENCES);
    }

    @Test
    void whenTheRunnerFindsAFailureThenItShrinksTheSequence() {
        // a deliberately wrong implementation: its semaphore reads return the whole count
        BiFunction<EventFdMode, Long, EventCounter> broken = (mode, initial) -> new InMemoryEventCounter(EventFdMode.COUNTER,
                initial);
        Assertions.assertThatExceptionOfType(AssertionError.class)
                .isThrownBy(() -> PropertyRunner.forAll("broken", SEQUENCES, EventCounterModelTest::sequence,
                        steps -> check(steps, broken)))
                .withMessageContaining("shrunk sequence").withMessageContaining("replay with -Dmodel.seed=");
    }
}
