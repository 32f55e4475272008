package dev.idgen.boot.ntp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The invariant the health indicator and the monitor's log rely on: a drift has an offset
 * exactly when some server answered.
 */
class ClockDriftTests {

    @Test
    void aJudgedDriftWithoutAnOffsetIsRejected() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new ClockDrift(ClockDrift.Status.CRITICAL, null, List.of(), List.of(), Instant.EPOCH))
            .withMessageContaining("CRITICAL");
    }

    @Test
    void anUnknownDriftWithAnOffsetIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ClockDrift(ClockDrift.Status.UNKNOWN,
                Duration.ofMillis(3), List.of(), List.of(), Instant.EPOCH));
    }

    @Test
    void theUnknownConstantHasNoOffset() {
        assertThat(ClockDrift.UNKNOWN.offset()).isNull();
        assertThat(ClockDrift.UNKNOWN.driftMillis()).isNaN();
    }

}
