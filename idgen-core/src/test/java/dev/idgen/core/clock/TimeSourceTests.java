package dev.idgen.core.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeSourceTests {

    @Test
    void offsetSourceIsTheSystemClockShiftedByTheOffset() {
        TimeSource behind = TimeSource.systemWithOffset(-5_000);

        long before = System.currentTimeMillis();
        long shifted = behind.currentTimeMillis();
        long after = System.currentTimeMillis();

        assertThat(shifted).isBetween(before - 5_000, after - 5_000);
        assertThat(TimeSource.systemWithOffset(0)).isSameAs(TimeSource.system());
    }

    @Test
    void manualSourceMovesOnlyWhenToldAndPauseAdvancesIt() {
        ManualTimeSource clock = new ManualTimeSource(1_000);
        assertThat(clock.currentTimeMillis()).isEqualTo(1_000);

        clock.pause(1_500_000);
        assertThat(clock.currentTimeMillis()).isEqualTo(1_001);
        assertThat(clock.nanoTime()).isEqualTo(1_500_000);
        assertThat(clock.pausedTotal()).isEqualTo(Duration.ofNanos(1_500_000));

        clock.pause(0); // a spin still lets some time pass, so a polling caller always
                        // progresses
        assertThat(clock.nanoTime()).isEqualTo(1_500_001);
    }

    @Test
    void settingTheWallClockBackDoesNotMoveTheMonotonicClock() {
        ManualTimeSource clock = new ManualTimeSource(10_000).advance(Duration.ofSeconds(1));

        clock.setMillis(2_000);

        assertThat(clock.currentTimeMillis()).isEqualTo(2_000);
        assertThat(clock.nanoTime()).isEqualTo(1_000_000_000L);
        assertThatIllegalArgumentException().isThrownBy(() -> clock.advance(Duration.ofMillis(-1)));
    }

}
