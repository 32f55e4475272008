package dev.idgen.boot.ntp;

/**
 * Where health, metrics and the refuse-on-critical guard read the clock drift, without
 * depending on the NTP client library.
 */
@FunctionalInterface
public interface ClockDriftSource {

    /**
     * The last measured drift; {@link ClockDrift#UNKNOWN} before the first measurement.
     */
    ClockDrift clockDrift();

    /** Whether the last measurement found the drift above the critical threshold. */
    default boolean isCritical() {
        return clockDrift().status() == ClockDrift.Status.CRITICAL;
    }

}
