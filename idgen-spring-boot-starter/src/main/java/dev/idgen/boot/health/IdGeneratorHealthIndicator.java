package dev.idgen.boot.health;

import dev.idgen.core.lease.LeaseSnapshot;
import dev.idgen.core.lease.LeaseState;
import dev.idgen.core.lease.ManagedWorkerLease;
import dev.idgen.boot.ntp.ClockDrift;
import dev.idgen.boot.ntp.ClockDriftSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of the id generator: UP exactly when it would issue ids.
 *
 * <ul>
 * <li>{@code ACTIVE} with time left → UP.</li>
 * <li>{@code SUSPENDED} with time left → UP: the window still runs, ids are still safe
 * (the detail says so); DOWN once the time is up.</li>
 * <li>{@code ACQUIRING} (not yet claimed) and {@code CLOSED} (shutting down) →
 * OUT_OF_SERVICE: the node is fine but must not get traffic.</li>
 * <li>{@code LOST}, or no time left → DOWN.</li>
 * <li>NTP drift above the critical threshold → DOWN, whatever the lease.</li>
 * </ul>
 * Details: worker id, assignment, node, lease state, time left, reservation, hand-over
 * wait, re-claims, and clock drift (NTP and peers).
 */
public final class IdGeneratorHealthIndicator implements HealthIndicator {

    private final ManagedWorkerLease lease;

    private final @Nullable ClockDriftSource drift;

    /** {@code drift} may be {@code null} when NTP drift monitoring is off. */
    public IdGeneratorHealthIndicator(ManagedWorkerLease lease, @Nullable ClockDriftSource drift) {
        this.lease = lease;
        this.drift = drift;
    }

    @Override
    public Health health() {
        LeaseSnapshot snapshot = lease.snapshot();
        ClockDrift ntp = (drift != null) ? drift.clockDrift() : null;
        Health.Builder builder = new Health.Builder(status(snapshot, ntp));
        builder.withDetail("workerId", snapshot.workerId());
        builder.withDetail("assignment", snapshot.assignment());
        builder.withDetail("nodeName", snapshot.nodeName());
        builder.withDetail("leaseState", snapshot.state().name());
        builder.withDetail("timeLeft", describe(snapshot.timeLeft()));
        if (snapshot.reservedUntil() != null) {
            builder.withDetail("reservedUntil", snapshot.reservedUntil().toString());
        }
        builder.withDetail("handoverWait", describe(snapshot.handoverWait()));
        builder.withDetail("reclaims", snapshot.reclaims());
        if (snapshot.storeLossesDetected() > 0) {
            builder.withDetail("storeLossesDetected", snapshot.storeLossesDetected());
        }
        builder.withDetail("clockDrift", clockDrift(snapshot, ntp));
        String reason = reason(snapshot, ntp);
        if (reason != null) {
            builder.withDetail("reason", reason);
        }
        return builder.build();
    }

    private static Status status(LeaseSnapshot snapshot, @Nullable ClockDrift ntp) {
        if (ntp != null && ntp.status() == ClockDrift.Status.CRITICAL) {
            return Status.DOWN;
        }
        boolean timeLeft = snapshot.timeLeft() != null && snapshot.timeLeft().compareTo(Duration.ZERO) > 0;
        return switch (snapshot.state()) {
            case ACTIVE, SUSPENDED -> timeLeft ? Status.UP : Status.DOWN;
            case ACQUIRING, CLOSED -> Status.OUT_OF_SERVICE;
            case LOST -> Status.DOWN;
        };
    }

    private static @Nullable String reason(LeaseSnapshot snapshot, @Nullable ClockDrift ntp) {
        if (ntp != null && ntp.status() == ClockDrift.Status.CRITICAL) {
            Duration offset = Objects.requireNonNull(ntp.offset(), "a CRITICAL drift has an offset (ClockDrift)");
            return "clock differs from NTP by " + offset.toMillis() + " ms, above the critical threshold";
        }
        return switch (snapshot.state()) {
            case ACTIVE -> null;
            case SUSPENDED -> "coordinator unreachable; issuing until the lease window runs out";
            case ACQUIRING -> "claiming a worker id; nothing is issued yet";
            case LOST -> "worker id lost; nothing is issued until it is claimed again";
            case CLOSED -> "lease released; shutting down";
        };
    }

    private static Map<String, Object> clockDrift(LeaseSnapshot snapshot, @Nullable ClockDrift ntp) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (ntp == null) {
            details.put("ntp", "off");
        }
        else {
            Map<String, Object> ntpDetails = new LinkedHashMap<>();
            ntpDetails.put("status", ntp.status().name());
            if (ntp.offset() != null) {
                ntpDetails.put("offsetMillis", ntp.offset().toMillis());
            }
            if (ntp.measuredAt() != null) {
                ntpDetails.put("measuredAt", ntp.measuredAt().toString());
            }
            ntpDetails.put("answered", ntp.answered());
            if (!ntp.failed().isEmpty()) {
                ntpDetails.put("failed", ntp.failed());
            }
            details.put("ntp", ntpDetails);
        }
        Duration peers = snapshot.peerClockOffset();
        details.put("peersOffsetMillis", (peers != null) ? (Object) peers.toMillis() : "unknown");
        return details;
    }

    private static String describe(@Nullable Duration duration) {
        if (duration == null) {
            return "unknown";
        }
        if (duration.toDays() > 365L * 1000) {
            return "unbounded";
        }
        return duration.toString();
    }

}
