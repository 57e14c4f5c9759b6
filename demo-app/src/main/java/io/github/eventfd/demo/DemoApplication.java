package io.github.eventfd.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The demo service. Profile {@code orders} signals, profile {@code billing} listens; with neither it does both.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DemoApplication {

    /** Channel of new orders: a shared queue, each unit handled by one billing replica. */
    public static final String ORDERS_CREATED = "orders.created";

    /** Channel of configuration changes: a shared broadcast, heard by every replica. */
    public static final String CONFIG_CHANGED = "config.changed";

    public static void main(String[] args) {
        SpringApplication.run(DemoApplication.class, args);
    }
}
