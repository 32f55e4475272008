package dev.idgen.boot.metrics;

import dev.idgen.boot.ntp.ClockDrift;
import dev.idgen.boot.ntp.ClockDriftSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Clock drift against NTP. Prometheus {@code clock_drift_milliseconds} is the absolute
 * drift, so the design's alert {@code clock_drift_milliseconds > 50} fires whichever way
 * the clock is off; {@code idgen_ntp_offset_milliseconds} keeps the sign (NTP time minus
 * this node's clock). Both are NaN while no NTP server has answered, and when drift
 * monitoring is off.
 */
public final class ClockDriftMeters {

    /** Absolute drift from NTP; Prometheus {@code clock_drift_milliseconds}. */
    public static final String CLOCK_DRIFT = "clock.drift";

    /** Signed NTP offset; Prometheus {@code idgen_ntp_offset_milliseconds}. */
    public static final String NTP_OFFSET = "idgen.ntp.offset";

    private final ClockDriftSource source;

    /**
     * {@code source} may be {@code null} when drift monitoring is off: the gauges then
     * read NaN.
     */
    public ClockDriftMeters(@Nullable ClockDriftSource source) {
        this.source = (source != null) ? source : () -> ClockDrift.UNKNOWN;
    }

    /**
     * Registers these meters on {@code registry}. Deliberately not a {@code MeterBinder}:
     * the auto-configuration registers them when the bean is created, and Spring Boot
     * would otherwise bind a {@code MeterBinder} bean a second time.
     */
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(CLOCK_DRIFT, source, (s) -> s.clockDrift().driftMillis())
            .description("Absolute difference between this node's clock and NTP time; NaN when not measured")
            .baseUnit("milliseconds")
            .register(registry);
        Gauge.builder(NTP_OFFSET, source, ClockDriftMeters::offsetMillis)
            .description("NTP time minus this node's clock; NaN when not measured")
            .baseUnit("milliseconds")
            .register(registry);
    }

    private static double offsetMillis(ClockDriftSource source) {
        Duration offset = source.clockDrift().offset();
        return (offset != null) ? offset.toNanos() / 1e6 : Double.NaN;
    }

}
