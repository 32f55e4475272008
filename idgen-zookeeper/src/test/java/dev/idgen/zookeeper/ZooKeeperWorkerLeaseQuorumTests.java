package dev.idgen.zookeeper;

import static dev.idgen.zookeeper.LeaseTestSupport.BOUND;
import static dev.idgen.zookeeper.LeaseTestSupport.awaitState;
import static dev.idgen.zookeeper.LeaseTestSupport.settings;
import static dev.idgen.zookeeper.ZooKeeperWorkerLeaseHandoverTests.assertStrictlyIncreasing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idgen.core.lease.LeaseState;
import dev.idgen.core.IdGenerator;
import dev.idgen.core.clock.TimeSource;
import dev.idgen.core.lease.LeaseWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.Test;

/** A three-server ensemble losing its quorum under a holder, and getting it back. */
class ZooKeeperWorkerLeaseQuorumTests {

    @Test
    void losingTheQuorumStopsIssuingWithinTheSessionTimeoutAndRestoringItResumesIssuing() throws Exception {
        try (TestingCluster cluster = new TestingCluster(3)) {
            cluster.start();
            try (LeaseTestSupport zk = new LeaseTestSupport(cluster.getConnectString())) {
                CuratorFramework client = zk.newClient();
                ZooKeeperWorkerLease lease = zk.lease(client, settings("node-a", 0, 3).build(), TimeSource.system());
                lease.start();
                awaitState(lease, LeaseState.ACTIVE);
                IdGenerator generator = IdGenerator.builder().lease(lease).maxLeaseWait(Duration.ZERO).build();
                IdIssuer issuer = new IdIssuer("a", generator);
                await().atMost(BOUND).until(() -> issuer.count() > 0);
                long negotiatedTimeout = client.getZookeeperClient().getZooKeeper().getSessionTimeout();
                InstanceSpec connected = cluster.findConnectionInstance(client.getZookeeperClient().getZooKeeper());
                List<InstanceSpec> others = new ArrayList<>(cluster.getInstances());
                others.remove(connected);

                long quorumLostAt = System.currentTimeMillis();
                for (InstanceSpec other : others) {
                    cluster.killServer(other);
                }
                WindowWatch watch = new WindowWatch(lease);

                await().atMost(BOUND).until(() -> !lease.window().holdsWorker());
                watch.stop();
                // Whatever the lease published after the quorum went, it ended within the
                // session timeout.
                assertThat(watch.maxNotAfter()).isLessThanOrEqualTo(quorumLostAt + negotiatedTimeout);
                assertThat(lease.snapshot().state()).isIn(LeaseState.SUSPENDED, LeaseState.LOST);

                long restoredAt = System.currentTimeMillis();
                for (InstanceSpec other : others) {
                    cluster.restartServer(other);
                }
                awaitState(lease, LeaseState.ACTIVE);
                int issuedBeforeCheck = issuer.count();
                await().atMost(BOUND).until(() -> issuer.count() > issuedBeforeCheck);
                issuer.stop();

                List<Long> ids = issuer.ids();
                assertStrictlyIncreasing(ids);
                assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
                // No id carries a timestamp from the outage: from the session-timeout
                // bound to the restore.
                assertThat(ids).map(id -> generator.parse(id).timestamp().toEpochMilli())
                    .noneMatch(t -> t >= quorumLostAt + negotiatedTimeout && t <= restoredAt);
                assertThat(ids).map(id -> generator.parse(id).timestamp().toEpochMilli()).anyMatch(t -> t > restoredAt);
                assertThat(issuer.refusals()).isPositive();
            }
        }
    }

    /**
     * Records the latest notAfter of every window that grants a worker id, from now until
     * stopped.
     */
    private static final class WindowWatch {

        private final AtomicLong maxNotAfter = new AtomicLong(Long.MIN_VALUE);

        private final Thread thread;

        private volatile boolean running = true;

        WindowWatch(ZooKeeperWorkerLease lease) {
            thread = new Thread(() -> {
                while (running) {
                    LeaseWindow window = lease.window();
                    if (window.holdsWorker()) {
                        maxNotAfter.accumulateAndGet(window.notAfterMillis(), Math::max);
                    }
                    LockSupport.parkNanos(500_000);
                }
            }, "window-watch");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }

        long maxNotAfter() {
            return maxNotAfter.get();
        }

    }

}
