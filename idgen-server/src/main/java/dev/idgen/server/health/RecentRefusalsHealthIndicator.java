package dev.idgen.server.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health contributor {@code idgenRefusals}: DOWN while a clock-related refusal is fresh
 * (see {@link RecentRefusals}); part of the readiness group, not of liveness.
 */
public final class RecentRefusalsHealthIndicator implements HealthIndicator {

    private final RecentRefusals refusals;

    public RecentRefusalsHealthIndicator(RecentRefusals refusals) {
        this.refusals = refusals;
    }

    @Override
    public Health health() {
        RecentRefusals.Refusal refusal = refusals.current();
        if (refusal == null) {
            return Health.up().build();
        }
        return Health.down()
            .withDetail("reason", refusal.reason().tag())
            .withDetail("detail", refusal.message())
            .build();
    }

}
