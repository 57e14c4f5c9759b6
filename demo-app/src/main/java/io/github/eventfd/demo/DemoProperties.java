package io.github.eventfd.demo;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the demo, under {@code demo}.
 *
 * @param socketDir the directory of the channels' sharing sockets, shared by every replica
 * @param producer the steady background producer of the orders role
 * @param billing the simulated work of the billing role
 */
@ConfigurationProperties("demo")
public record DemoProperties(Path socketDir, Producer producer, Billing billing) {

    public DemoProperties {
        producer = (producer != null) ? producer : new Producer(0, Duration.ofSeconds(10));
        billing = (billing != null) ? billing : new Billing(Duration.ofMillis(2));
    }

    /**
     * The steady producer.
     *
     * @param rate new orders signalled per second; 0 turns the producer off
     * @param configEvery how often a configuration change is broadcast; 0 turns it off
     */
    public record Producer(double rate, Duration configEvery) {

        public Producer {
            if (rate < 0 || rate > 100_000) {
                throw new IllegalArgumentException("'demo.producer.rate' must be between 0 and 100000 but was " + rate);
            }
            configEvery = (configEvery != null) ? configEvery : Duration.ZERO;
        }
    }

    /**
     * The billing role.
     *
     * @param work how long handling one delivery takes
     */
    public record Billing(Duration work) {

        public Billing {
            work = (work != null) ? work : Duration.ZERO;
        }
    }
}
