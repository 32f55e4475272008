package dev.idgen.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable per-worker-id floor on disk: it only goes up, except to a release's final
 * reservation.
 */
class FileReservationLogTests {

    @TempDir
    Path stateDir;

    private final ZooKeeperLeaseSettings settings = ZooKeeperLeaseSettings.builder("node-a")
        .rootPath("/ids/eu")
        .build();

    @Test
    void aWorkerIdNeverRecordedHasNoFloor() {
        assertThat(new FileReservationLog(stateDir, settings).floor(7)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void aRecordSurvivesTheProcessAndNeverGoesDown() throws Exception {
        FileReservationLog log = new FileReservationLog(stateDir, settings);
        log.record(7, 2_000);
        log.record(7, 1_000);

        FileReservationLog afterRestart = new FileReservationLog(stateDir, settings);

        assertThat(afterRestart.floor(7)).isEqualTo(2_000);
        assertThat(afterRestart.floor(8)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void aReleaseLowersTheRecordToItsFinalReservation() throws Exception {
        FileReservationLog log = new FileReservationLog(stateDir, settings);
        log.record(7, 20_000);

        log.released(7, 12_345);

        assertThat(new FileReservationLog(stateDir, settings).floor(7)).isEqualTo(12_345);
    }

    @Test
    void eachRootPathKeepsItsOwnRecords() throws Exception {
        new FileReservationLog(stateDir, settings).record(7, 2_000);

        ZooKeeperLeaseSettings otherCluster = settings.toBuilder().rootPath("/ids/us").build();

        assertThat(new FileReservationLog(stateDir, otherCluster).floor(7)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void anUnreadableRecordStopsTheClaimRatherThanGuessAFloor() throws Exception {
        Path folder = stateDir.resolve("reservations_ids_eu");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("worker-7"), "not a number");

        assertThatIllegalStateException().isThrownBy(() -> new FileReservationLog(stateDir, settings).floor(7))
            .withMessageContaining("worker-7");
    }

}
