package dev.idgen.zookeeper;

import static dev.idgen.zookeeper.LeaseTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.idgen.core.IdGenerator;
import dev.idgen.core.clock.ManualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The final reservation written at a graceful close, against a real ZooKeeper: it must
 * cover every id the generator issued, whatever the clock did since the last heartbeat.
 */
class ZooKeeperWorkerLeaseReleaseTests extends SingleServerLeaseTests {

    @Test
    void aCloseAfterTheClockSteppedBackStillReservesPastTheHighestIdIssued() throws Exception {
        ManualTimeSource clock = new ManualTimeSource(System.currentTimeMillis() + 1_000); // past
                                                                                           // a
                                                                                           // fresh
                                                                                           // store's
                                                                                           // quarantine
        // Heartbeats 1 s apart and a reservation two heartbeats ahead: the id below is
        // issued between two
        // heartbeats, as under load in production, where the lease last read the clock up
        // to 1 s earlier.
        ZooKeeperLeaseSettings slow = settings("node-a", 0, 0).heartbeatInterval(Duration.ofSeconds(1)).build();
        ZooKeeperWorkerLease first = zk.activeLease(slow, clock);
        IdGenerator generator = IdGenerator.builder().lease(first).timeSource(clock).build();
        clock.setMillis(clock.currentTimeMillis() + 1500); // the wall clock only: the
                                                           // fence runs on nanoTime
        long highestIssued = generator.parse(generator.nextId()).timestamp().toEpochMilli();

        clock.setMillis(clock.currentTimeMillis() - 120_000); // an NTP step back, then a
                                                              // graceful restart
        first.close();

        ZooKeeperWorkerLease second = zk.lease(zk.newClient(), slow, clock);
        second.start();
        await(second);
        assertThat(second.window().workerId()).isZero();
        assertThat(second.window().notBeforeMillis()).as("the next holder starts after every id the first one issued")
            .isGreaterThanOrEqualTo(highestIssued);
    }

    private static void await(ZooKeeperWorkerLease lease) {
        org.awaitility.Awaitility.await().atMost(LeaseTestSupport.BOUND).until(() -> lease.window().holdsWorker());
    }

    @Test
    void aGracefulRestartWithItsStateDirStartsRightAfterItsLastIdNotAfterTheWholeLead(@TempDir Path stateDir)
            throws Exception {
        // Heartbeats 1 s apart: the reservation runs 2 s ahead, which a restart would
        // otherwise wait out.
        ZooKeeperLeaseSettings settings = settings("node-a", 0, 0).heartbeatInterval(Duration.ofSeconds(1))
            .stateDir(stateDir)
            .build();
        ZooKeeperWorkerLease first = zk.activeLease(settings, system);
        IdGenerator generator = IdGenerator.builder().lease(first).build();
        long lastIssued = generator.parse(generator.nextId()).timestamp().toEpochMilli();
        long reservedWhileActive = first.snapshot().reservedUntil().toEpochMilli();

        first.close();
        ZooKeeperWorkerLease second = zk.lease(zk.newClient(), settings, system);
        second.start();
        await(second);

        assertThat(lastIssued).isLessThan(reservedWhileActive);
        assertThat(second.window().notBeforeMillis()).isEqualTo(lastIssued);
    }

}
