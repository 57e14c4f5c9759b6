package io.github.eventfd.spring.autoconfigure;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;

/**
 * An application with nothing but the starter, for tests that run it in a JVM of its own (as another user).
 */
public final class StarterMain {

    private StarterMain() {
    }

    /**
     * Run the application until it has started, then stop it.
     * @param args the application's properties, as {@code --name=value}
     */
    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(FailureReportTests.StarterApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.run(args).close();
    }
}
