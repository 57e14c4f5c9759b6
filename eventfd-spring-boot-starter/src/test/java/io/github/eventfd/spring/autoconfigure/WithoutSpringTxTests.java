package io.github.eventfd.spring.autoconfigure;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.github.eventfd.spring.EventFdChannel;
import io.github.eventfd.spring.EventFdChannelRegistry;
import io.github.eventfd.spring.annotation.EventFdListener;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * spring-tx is optional: an application without it signals and listens as before. The starter runs here in
 * a class loader whose class path lacks the spring-tx jar altogether, so a class that links against it
 * fails as it would in such an application (a {@code FilteredClassLoader} would only hide it from conditions).
 */
class WithoutSpringTxTests {

    private static final String SYNCHRONIZATION_MANAGER =
            "org.springframework.transaction.support.TransactionSynchronizationManager";

    @Test
    void whenSpringTxIsMissingThenChannelsSignalAndDeliverAsBefore() throws Exception {
        List<URL> classPath = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (new File(entry).getName().startsWith("spring-tx-")) {
                left.add(entry);
            }
            else {
                classPath.add(url(entry));
            }
        }
        assertThat(left).as("spring-tx on the test class path").hasSize(1);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader withoutTx = new URLClassLoader(classPath.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            assertThatExceptionOfType(ClassNotFoundException.class)
                    .isThrownBy(() -> withoutTx.loadClass(SYNCHRONIZATION_MANAGER));
            Thread.currentThread().setContextClassLoader(withoutTx);
            Object delivered = withoutTx.loadClass(Application.class.getName()).getMethod("signalAndListen")
                    .invoke(null);
            assertThat(delivered).isEqualTo(3L);
        }
        finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private static URL url(String entry) {
        try {
            return new File(entry).toURI().toURL();
        }
        catch (MalformedURLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Loaded again by the class loader without spring-tx: runs a context there. */
    public static final class Application {

        private Application() {
        }

        /**
         * Start a context with the starter, signal a channel and wait for its listener.
         * @return the count the listener received
         */
        public static long signalAndListen() {
            AtomicLong delivered = new AtomicLong();
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(EventFdAutoConfiguration.class))
                    .withBean(Listener.class, () -> new Listener(delivered)).run(context -> {
                        assertThat(context).hasNotFailed();
                        EventFdChannel orders = context.getBean(EventFdChannelRegistry.class).channel("orders");
                        orders.signal();
                        orders.signal(2);
                        assertThat(orders.sentCount()).isEqualTo(3);
                        await().until(() -> delivered.get() == 3);
                    });
            return delivered.get();
        }
    }

    /** Listens to {@code orders}. */
    static class Listener {

        private final AtomicLong delivered;

        Listener(AtomicLong delivered) {
            this.delivered = delivered;
        }

        @EventFdListener("orders")
        void onOrders(long count) {
            this.delivered.addAndGet(count);
        }
    }
}
