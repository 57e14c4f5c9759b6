package io.github.eventfd.spring.autoconfigure;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.eventfd.spring.EventFdNotifier;
import io.github.eventfd.spring.annotation.EventFdListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.condition.OS;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listener threads follow {@code spring.threads.virtual.enabled}. Virtual threads need JDK 21+: the build
 * runs this class on the JDK that {@code JAVA22_HOME} names.
 */
@EnabledOnOs(OS.LINUX)
@EnabledForJreRange(min = JRE.JAVA_21)
class EventFdVirtualThreadsTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class))
            .withUserConfiguration(ThreadRecorder.class);

    @Test
    void whenVirtualThreadsAreEnabledThenListenersRunOnVirtualThreads() {
        this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true").run(context -> {
            assertThat(context).getBean(EventFdAutoConfiguration.LISTENER_EXECUTOR_BEAN_NAME)
                    .isInstanceOf(VirtualThreadTaskExecutor.class);
            Thread thread = listenerThread(context);
            assertThat(isVirtual(thread)).isTrue();
            assertThat(thread.getName()).startsWith("eventfd-listener-");
        });
    }

    @Test
    void whenVirtualThreadsAreNotEnabledThenListenersRunOnPlatformThreads() {
        this.contextRunner.run(context -> {
            Thread thread = listenerThread(context);
            assertThat(isVirtual(thread)).isFalse();
            assertThat(thread.getName()).startsWith("eventfd-listener-");
        });
    }

    @Test
    void whenVirtualThreadsAreEnabledAndDispatchIsInlineThenListenersRunOnThePoller() {
        this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true",
                "eventfd.channels.work.dispatch=inline").run(context -> {
                    Thread thread = listenerThread(context);
                    assertThat(isVirtual(thread)).isFalse();
                    assertThat(thread.getName()).isEqualTo("eventfd-poller");
                });
    }

    @Test
    void whenVirtualThreadsAreEnabledThenAsyncMethodsRunOnBootsApplicationTaskExecutorNotOnTheListeners() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class,
                        TaskExecutionAutoConfiguration.class))
                .withUserConfiguration(AsyncConfiguration.class)
                .withPropertyValues("spring.threads.virtual.enabled=true").run(context -> {
                    assertThat(context).hasBean(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME);
                    String thread = context.getBean(AsyncWork.class).threadName().get(30, TimeUnit.SECONDS);
                    assertThat(thread).startsWith("task-");
                });
    }

    /** Signal the channel and return the thread its listener ran on. */
    private static Thread listenerThread(ApplicationContext context) {
        List<Thread> threads = context.getBean(ThreadRecorder.class).threads;
        context.getBean(EventFdNotifier.class).signal();
        await().until(() -> !threads.isEmpty());
        return threads.get(0);
    }

    /** {@code Thread.isVirtual()} is JDK 21 API; the tests compile for Java 17. */
    private static boolean isVirtual(Thread thread) throws ReflectiveOperationException {
        return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    @Import(AsyncWork.class)
    static class AsyncConfiguration {
    }

    static class AsyncWork {

        @Async
        public CompletableFuture<String> threadName() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }
    }

    static class ThreadRecorder {

        final List<Thread> threads = new CopyOnWriteArrayList<>();

        @EventFdListener("work")
        void onWork() {
            this.threads.add(Thread.currentThread());
        }
    }
}
