package dev.idgen.zookeeper;

import static dev.idgen.zookeeper.LeaseTestSupport.BOUND;
import static dev.idgen.zookeeper.LeaseTestSupport.settings;
import static dev.idgen.zookeeper.LeaseTestSupport.shiftedBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idgen.core.IdGenerator;
import dev.idgen.core.clock.TimeSource;
import dev.idgen.core.lease.LeaseState;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ZooKeeper ensemble that lost its data, against real servers: the first holds the
 * node's reservations, the second is a fresh, empty one, as after a data directory was
 * deleted or the ensemble replaced.
 */
class ZooKeeperWorkerLeaseStoreLossTests {

    @TempDir
    Path stateDir;

    @Test
    void aNodeRestartedBehindOnAnEmptyEnsembleIssuesAfterItsOwnRecordAndReportsTheLoss() throws Exception {
        AtomicLong offset = new AtomicLong();
        TimeSource clock = shiftedBy(offset);
        ZooKeeperLeaseSettings withDisk = settings("node-a", 0, 0).stateDir(stateDir).build();
        long reserved;
        long lastIssued;
        ZooKeeperWorkerLease first;
        try (TestingServer before = new TestingServer();
                LeaseTestSupport zk = new LeaseTestSupport(before.getConnectString())) {
            first = new ZooKeeperWorkerLease(zk.newClient(), withDisk, clock);
            first.start();
            LeaseTestSupport.awaitState(first, LeaseState.ACTIVE);
            IdGenerator generator = IdGenerator.builder().lease(first).timeSource(clock).build();
            lastIssued = generator.parse(generator.nextId()).timestamp().toEpochMilli();
            reserved = first.snapshot().reservedUntil().toEpochMilli();
        }
        // The ensemble and the client are gone before the lease could release: as after a
        // crash, the
        // node's own record keeps the whole reservation.
        first.close();

        offset.set(-60_000); // and it comes back with its clock a minute behind
        try (TestingServer after = new TestingServer();
                LeaseTestSupport zk = new LeaseTestSupport(after.getConnectString())) {
            ZooKeeperWorkerLease second = zk.lease(zk.newClient(), withDisk, clock);
            second.start();
            await().atMost(BOUND).until(() -> second.window().holdsWorker());

            assertThat(second.window().notBeforeMillis()).isGreaterThanOrEqualTo(reserved).isGreaterThan(lastIssued);
            assertThat(second.snapshot().storeLossesDetected()).isEqualTo(1);
            assertThat(second.snapshot().state()).isEqualTo(LeaseState.ACQUIRING);
        }
    }

    @Test
    void withoutItsDiskANodeOnAnEmptyEnsembleStillStartsAfterTheQuarantineOfTheNewStore() throws Exception {
        long reservedBefore;
        try (TestingServer before = new TestingServer();
                LeaseTestSupport zk = new LeaseTestSupport(before.getConnectString())) {
            reservedBefore = zk.activeLease(settings("node-a", 0, 0).build(), TimeSource.system())
                .snapshot()
                .reservedUntil()
                .toEpochMilli();
        }
        try (TestingServer after = new TestingServer();
                LeaseTestSupport zk = new LeaseTestSupport(after.getConnectString())) {
            long storeCreatedNoEarlierThan = System.currentTimeMillis();
            ZooKeeperWorkerLease other = zk.lease(zk.newClient(), settings("node-b", 0, 0).build(),
                    TimeSource.system());
            other.start();
            await().atMost(BOUND).until(() -> other.window().holdsWorker());

            // The peer clock limit is 100 ms in these tests: the quarantine is twice
            // that.
            assertThat(other.window().notBeforeMillis()).isGreaterThanOrEqualTo(storeCreatedNoEarlierThan + 200);
            assertThat(other.snapshot().storeLossesDetected()).isZero();
            assertThat(reservedBefore).isPositive();
        }
    }

}
