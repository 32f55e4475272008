package dev.idgen.zookeeper;

import static org.awaitility.Awaitility.await;

import dev.idgen.core.lease.LeaseState;
import dev.idgen.core.clock.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.ZooKeeper;

/**
 * Real ZooKeeper clients and leases with short timeouts, closed in reverse order of
 * creation. Session 3 s, heartbeat 500 ms: a reservation runs 1 s ahead, so hand-overs in
 * these tests wait at most ~1 s.
 */
final class LeaseTestSupport implements AutoCloseable {

    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

    static final Duration HEARTBEAT = Duration.ofMillis(500);

    /** Generous bound for a state to be reached; a state, not a speed, is asserted. */
    static final Duration BOUND = Duration.ofSeconds(20);

    private final String connectString;

    private final List<AutoCloseable> resources = new ArrayList<>();

    LeaseTestSupport(String connectString) {
        this.connectString = connectString;
    }

    CuratorFramework newClient() {
        return newClient(connectString);
    }

    /** A started client through another address, such as a {@link PartitionableProxy}. */
    CuratorFramework newClient(String through) {
        return newClient(through, SESSION_TIMEOUT);
    }

    CuratorFramework newClient(String through, Duration sessionTimeout) {
        CuratorFramework client = CuratorFrameworkFactory.builder()
            .connectString(through)
            .sessionTimeoutMs((int) sessionTimeout.toMillis())
            .connectionTimeoutMs(2000)
            .retryPolicy(new ExponentialBackoffRetry(100, 3))
            .build();
        client.start();
        resources.add(client::close);
        return client;
    }

    static ZooKeeperLeaseSettings.Builder settings(String nodeName, int minWorkerId, int maxWorkerId) {
        return ZooKeeperLeaseSettings.builder(nodeName)
            .rootPath("/idgen-test")
            .workerIdRange(minWorkerId, maxWorkerId)
            .sessionTimeout(SESSION_TIMEOUT)
            .heartbeatInterval(HEARTBEAT)
            .safetyMargin(Duration.ofMillis(500))
            // A fresh store makes first claims wait twice this: keep it short, as every
            // test has a fresh server.
            .peerClockLimit(Duration.ofMillis(100))
            .endpoint("127.0.0.1", 8080);
    }

    ZooKeeperWorkerLease lease(CuratorFramework client, ZooKeeperLeaseSettings settings, TimeSource time) {
        ZooKeeperWorkerLease lease = new ZooKeeperWorkerLease(client, settings, time);
        resources.add(lease::close);
        return lease;
    }

    /** A lease on any store, on this node's own threads and without a durable floor. */
    ZooKeeperWorkerLease lease(ZnodeStore store, ZooKeeperLeaseSettings settings, TimeSource time) {
        ZooKeeperWorkerLease lease = new ZooKeeperWorkerLease(store, settings, time,
                LeaseScheduler.threads(settings.nodeName()), ReservationLog.NONE);
        resources.add(lease::close);
        return lease;
    }

    /** A started lease on its own client, awaited to ACTIVE. */
    ZooKeeperWorkerLease activeLease(ZooKeeperLeaseSettings settings, TimeSource time) throws InterruptedException {
        ZooKeeperWorkerLease lease = lease(newClient(), settings, time);
        lease.start();
        awaitState(lease, LeaseState.ACTIVE);
        return lease;
    }

    /**
     * The system clock shifted by an offset that the test changes: a node whose clock is
     * stepped.
     */
    static TimeSource shiftedBy(AtomicLong offsetMillis) {
        return new TimeSource() {
            @Override
            public long currentTimeMillis() {
                return System.currentTimeMillis() + offsetMillis.get();
            }

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void pause(long nanos) {
                TimeSource.system().pause(nanos);
            }
        };
    }

    static void awaitState(ZooKeeperWorkerLease lease, LeaseState state) {
        await().atMost(BOUND).pollInterval(Duration.ofMillis(20)).until(() -> lease.snapshot().state() == state);
    }

    /**
     * Expires {@code client}'s session on the server, for real ({@link SessionExpiry}).
     */
    void expireSession(CuratorFramework client) throws Exception {
        SessionExpiry.expire(client, connectString, (int) SESSION_TIMEOUT.toMillis());
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            }
            catch (Exception ex) {
                // keep closing the rest
            }
        }
    }

}
