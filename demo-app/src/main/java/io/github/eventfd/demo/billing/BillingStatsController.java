package io.github.eventfd.demo.billing;

import java.util.Map;

import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /demo/stats}: what this billing replica has received, per channel.
 */
@RestController
@Profile("!orders")
class BillingStatsController {

    private final BillingStats stats;

    BillingStatsController(BillingStats stats) {
        this.stats = stats;
    }

    @GetMapping("/demo/stats")
    Map<String, Object> stats() {
        return this.stats.snapshot();
    }
}
