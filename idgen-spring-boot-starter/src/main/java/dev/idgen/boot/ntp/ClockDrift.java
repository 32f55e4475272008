package dev.idgen.boot.ntp;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The result of one comparison of this node's clock with NTP servers.
 *
 * @param status the drift judged against the thresholds
 * @param offset NTP time minus this node's clock (median over the servers that answered),
 * or {@code null} when none answered
 * @param answered servers that answered
 * @param failed servers that did not answer, each with the reason
 * @param measuredAt when the comparison was made, or {@code null} before the first
 */
public record ClockDrift(Status status, @Nullable Duration offset, List<String> answered, List<String> failed,
        @Nullable Instant measuredAt) {

    /** Before the first comparison. */
    public static final ClockDrift UNKNOWN = new ClockDrift(Status.UNKNOWN, null, List.of(), List.of(), null);

    /**
     * Checks that the offset is {@code null} exactly when the status is
     * {@link Status#UNKNOWN}.
     * @throws IllegalArgumentException when it is not
     */
    public ClockDrift {
        if ((offset == null) != (status == Status.UNKNOWN)) {
            throw new IllegalArgumentException(
                    "offset must be null exactly when the status is UNKNOWN, but was " + offset + " for " + status);
        }
    }

    /** Absolute drift in milliseconds, or {@code NaN} when unknown. */
    public double driftMillis() {
        return (offset != null) ? Math.abs(offset.toNanos()) / 1e6 : Double.NaN;
    }

    /** How far the clock is off, judged against the thresholds. */
    public enum Status {

        /** No server has answered (yet). */
        UNKNOWN,

        /** Drift at most the warning threshold. */
        OK,

        /** Drift above the warning threshold, at most the critical one. */
        WARN,

        /** Drift above the critical threshold: timestamps may be far from real time. */
        CRITICAL

    }
}
