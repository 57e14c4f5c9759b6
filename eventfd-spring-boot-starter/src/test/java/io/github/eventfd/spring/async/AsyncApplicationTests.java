package io.github.eventfd.spring.async;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.github.eventfd.spring.EventFdNotifier;
import io.github.eventfd.spring.annotation.EventFdListener;
import io.github.eventfd.spring.autoconfigure.EventFdAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application with {@code @EnableAsync} and the starter: Boot's {@code applicationTaskExecutor} is still
 * there and runs the {@code @Async} methods, an {@code Executor} injected by type is Boot's, and listeners keep
 * their own executor.
 */
@EnabledOnOs(OS.LINUX)
@SpringBootTest(classes = AsyncApplicationTests.AsyncApplication.class, webEnvironment = WebEnvironment.NONE)
class AsyncApplicationTests {

    @Autowired
    ApplicationContext context;

    @Autowired
    Executor executor;

    @Autowired
    Work work;

    @Autowired
    Listener listener;

    @Autowired
    EventFdNotifier notifier;

    @Test
    void whenTheStarterIsPresentThenBootsApplicationTaskExecutorRunsAsyncMethods() throws Exception {
        assertThat(this.context.containsBean(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME))
                .isTrue();
        assertThat(this.executor)
                .isSameAs(this.context.getBean(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME));
        String asyncThread = this.work.threadName().get(30, TimeUnit.SECONDS);
        assertThat(asyncThread).startsWith("task-");
        this.notifier.signal();
        await().until(() -> !this.listener.threads.isEmpty());
        assertThat(this.listener.threads).first().asString().startsWith("eventfd-listener-");
        assertThat(this.context.getBean(EventFdAutoConfiguration.LISTENER_EXECUTOR_BEAN_NAME))
                .isNotSameAs(this.executor);
    }

    /** A plain Boot application with {@code @EnableAsync}. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableAsync
    @Import({ Work.class, Listener.class })
    static class AsyncApplication {
    }

    /** An {@code @Async} method that tells its thread. */
    static class Work {

        @Async
        public CompletableFuture<String> threadName() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }
    }

    /** A listener that records its threads. */
    static class Listener {

        final List<String> threads = new CopyOnWriteArrayList<>();

        @EventFdListener("work")
        void onWork() {
            this.threads.add(Thread.currentThread().getName());
        }
    }
}
