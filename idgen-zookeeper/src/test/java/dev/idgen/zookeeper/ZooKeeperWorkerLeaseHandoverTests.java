package dev.idgen.zookeeper;

import static dev.idgen.zookeeper.LeaseTestSupport.BOUND;
import static dev.idgen.zookeeper.LeaseTestSupport.awaitState;
import static dev.idgen.zookeeper.LeaseTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.idgen.core.lease.LeaseSnapshot;
import dev.idgen.core.lease.LeaseState;
import dev.idgen.core.lease.WorkerIdUnavailableException;
import dev.idgen.core.IdGenerator;
import dev.idgen.core.LeaseNotYetValidException;
import dev.idgen.core.clock.ManualTimeSource;
import dev.idgen.core.clock.TimeSource;
import dev.idgen.core.lease.LeaseWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/**
 * Hand-over of a worker id between holders against a real ZooKeeper: a partitioned holder
 * whose session the server expires on its own timer, a session expired on the server, and
 * a new holder whose clock is behind the old one's.
 */
class ZooKeeperWorkerLeaseHandoverTests extends SingleServerLeaseTests {

    @Test
    void aPartitionedHolderStopsIssuingBeforeZooKeeperCanGiveItsWorkerIdToAnotherNodeAndThenClaimsAgain()
            throws Exception {
        try (PartitionableProxy proxy = new PartitionableProxy(server.getPort())) {
            CuratorFramework clientA = zk.newClient(proxy.connectString());
            ZooKeeperWorkerLease a = zk.lease(clientA, settings("node-a", 0, 1).build(), system);
            List<LeaseState> statesA = new CopyOnWriteArrayList<>();
            a.addStateListener(snapshot -> statesA.add(snapshot.state()));
            a.start();
            awaitState(a, LeaseState.ACTIVE);
            assertThat(a.window().workerId()).isZero();
            ZooKeeperWorkerLease b = zk.lease(zk.newClient(), settings("node-b", 0, 0).build(), system);
            b.start(); // finds the range full and retries every heartbeat
            IdGenerator generatorB = IdGenerator.builder().lease(b).build();
            OverlapWatch watch = new OverlapWatch(a, b, 0);
            IdIssuer issuerA = new IdIssuer("a", IdGenerator.builder().lease(a).maxLeaseWait(Duration.ZERO).build());
            await().atMost(BOUND).until(() -> issuerA.count() > 0);

            proxy.partition();

            awaitState(b, LeaseState.ACTIVE);
            assertThat(b.window().workerId()).isZero();
            long firstOfB = generatorB.nextId();
            assertThat(a.window()).isEqualTo(LeaseWindow.none());
            assertThat(a.snapshot().state()).isIn(LeaseState.SUSPENDED, LeaseState.LOST);

            proxy.heal();

            await().atMost(BOUND)
                .until(() -> a.snapshot().state() == LeaseState.ACTIVE && a.snapshot().reclaims() == 1);
            assertThat(a.window().workerId()).isEqualTo(1);
            await().atMost(BOUND).until(() -> issuerA.generator().parse(last(issuerA.ids())).workerId() == 1);
            issuerA.stop();
            watch.stop();

            assertThat(watch.overlaps()).as("moments both held worker id 0").isZero();
            assertThat(watch.samples()).isPositive();
            long bNotBefore = b.window().notBeforeMillis();
            assertThat(watch.maxNotAfterOfFirst() - 1).isLessThanOrEqualTo(bNotBefore);
            long lastTimestampOfAOnWorker0 = issuerA.ids()
                .stream()
                .filter(id -> generatorB.parse(id).workerId() == 0)
                .mapToLong(id -> generatorB.parse(id).timestamp().toEpochMilli())
                .max()
                .orElseThrow();
            assertThat(lastTimestampOfAOnWorker0).isLessThanOrEqualTo(bNotBefore);
            assertThat(generatorB.parse(firstOfB).timestamp().toEpochMilli()).isGreaterThan(lastTimestampOfAOnWorker0);
            assertStrictlyIncreasing(issuerA.ids());
            Set<Long> all = new HashSet<>(issuerA.ids());
            assertThat(all.add(firstOfB)).isTrue();
            assertThat(statesA).containsSubsequence(LeaseState.ACTIVE, LeaseState.SUSPENDED, LeaseState.LOST,
                    LeaseState.ACTIVE);
        }
    }

    @Test
    void aHolderWhoseWorkerIdWentToAnotherNodeStaysLostWhileTheRangeIsFullAndTakesItBackOnceFreed() throws Exception {
        try (PartitionableProxy proxy = new PartitionableProxy(server.getPort())) {
            ZooKeeperWorkerLease a = zk.lease(zk.newClient(proxy.connectString()), settings("node-a", 0, 0).build(),
                    system);
            a.start();
            awaitState(a, LeaseState.ACTIVE);
            ZooKeeperWorkerLease b = zk.lease(zk.newClient(), settings("node-b", 0, 0).build(), system);
            b.start();
            IdIssuer issuerA = new IdIssuer("a", IdGenerator.builder().lease(a).maxLeaseWait(Duration.ZERO).build());
            await().atMost(BOUND).until(() -> issuerA.count() > 0);
            proxy.partition();
            awaitState(b, LeaseState.ACTIVE);
            IdIssuer issuerB = new IdIssuer("b", IdGenerator.builder().lease(b).maxLeaseWait(Duration.ZERO).build());
            await().atMost(BOUND).until(() -> issuerB.count() > 0);

            proxy.heal();

            assertThatThrownBy(() -> a.awaitActive(BOUND)).isInstanceOf(WorkerIdUnavailableException.class)
                .hasMessageContaining("0 to 0")
                .hasMessageContaining("node-b");
            assertThat(a.snapshot().state()).isEqualTo(LeaseState.LOST);
            assertThat(a.window()).isEqualTo(LeaseWindow.none());
            int refusedSoFar = (int) issuerA.refusals();
            await().atMost(BOUND).until(() -> issuerA.refusals() > refusedSoFar);

            issuerB.stop();
            b.close();

            await().atMost(BOUND)
                .until(() -> a.snapshot().state() == LeaseState.ACTIVE && a.snapshot().reclaims() == 1);
            assertThat(a.window().workerId()).isZero();
            int issuedSoFar = issuerA.count();
            await().atMost(BOUND).until(() -> issuerA.count() > issuedSoFar);
            issuerA.stop();

            IdGenerator parser = issuerB.generator();
            List<Long> idsOfA = issuerA.ids();
            List<Long> idsOfB = issuerB.ids();
            long firstOfB = idsOfB.get(0);
            long lastOfB = last(idsOfB);
            // a's ids from before the partition, then b's, then a's again: ordered by
            // timestamp, never shared.
            List<Long> before = idsOfA.stream().filter(id -> id < firstOfB).toList();
            List<Long> after = idsOfA.stream().filter(id -> id > lastOfB).toList();
            assertThat(before.size() + after.size()).isEqualTo(idsOfA.size());
            assertThat(before).isNotEmpty();
            assertThat(after).isNotEmpty();
            assertThat(parser.parse(after.get(0)).timestamp()).isAfter(parser.parse(lastOfB).timestamp());
            assertThat(parser.parse(firstOfB).timestamp()).isAfter(parser.parse(last(before)).timestamp());
            assertStrictlyIncreasing(idsOfA);
            assertStrictlyIncreasing(idsOfB);
        }
    }

    @Test
    void aSessionExpiredOnTheServerWithdrawsTheWindowAndTheHolderClaimsAgainAfterItsOwnReservation() throws Exception {
        CuratorFramework clientA = zk.newClient();
        ZooKeeperWorkerLease a = zk.lease(clientA, settings("node-a", 0, 0).build(), system);
        List<LeaseSnapshot> snapshotsA = new CopyOnWriteArrayList<>();
        a.addStateListener(snapshotsA::add);
        a.start();
        awaitState(a, LeaseState.ACTIVE);
        IdIssuer issuer = new IdIssuer("a", IdGenerator.builder().lease(a).maxLeaseWait(Duration.ZERO).build());
        await().atMost(BOUND).until(() -> issuer.count() > 0);
        long reservedBeforeExpiry = a.snapshot().reservedUntil().toEpochMilli();

        zk.expireSession(clientA);

        await().atMost(BOUND).until(() -> a.snapshot().state() == LeaseState.ACTIVE && a.snapshot().reclaims() == 1);
        int issuedBeforeLastCheck = issuer.count();
        await().atMost(BOUND).until(() -> issuer.count() > issuedBeforeLastCheck);
        issuer.stop();

        assertThat(snapshotsA).extracting(LeaseSnapshot::state)
            .containsSubsequence(LeaseState.ACTIVE, LeaseState.LOST, LeaseState.ACTIVE);
        LeaseSnapshot lost = snapshotsA.stream().filter(s -> s.state() == LeaseState.LOST).findFirst().orElseThrow();
        assertThat(lost.workerId()).isEqualTo(-1);
        assertThat(lost.timeLeft()).isZero();
        LeaseWindow reclaimed = a.window();
        assertThat(reclaimed.workerId()).isZero();
        assertThat(reclaimed.notBeforeMillis()).isGreaterThanOrEqualTo(reservedBeforeExpiry);
        assertStrictlyIncreasing(issuer.ids());
        assertThat(new HashSet<>(issuer.ids())).hasSize(issuer.ids().size());
    }

    @Test
    void aNewHolderWhoseClockIsBehindTheOldHoldersWaitsPastTheOldReservationBeforeIssuing() throws Exception {
        // The old holder's clock runs 3 s ahead; the new holder's is a manual clock set
        // to real time.
        TimeSource ahead = TimeSource.systemWithOffset(3_000);
        CuratorFramework clientA = zk.newClient();
        ZooKeeperWorkerLease a = zk.lease(clientA, tolerantOfClocks("node-a"), ahead);
        a.start();
        awaitState(a, LeaseState.ACTIVE);
        IdGenerator generatorA = IdGenerator.builder().lease(a).timeSource(ahead).build();
        List<Long> idsOfA = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            idsOfA.add(generatorA.nextId());
        }
        long lastTimestampOfA = generatorA.parse(last(idsOfA)).timestamp().toEpochMilli();

        clientA.close(); // a crash: the session ends and the claim with it; the
                         // reservation stays

        ManualTimeSource behind = new ManualTimeSource(System.currentTimeMillis());
        ZooKeeperWorkerLease b = zk.lease(zk.newClient(), tolerantOfClocks("node-b"), behind);
        b.start();
        await().atMost(BOUND).until(() -> b.window().workerId() == 0);
        LeaseSnapshot waiting = b.snapshot();
        LeaseWindow window = b.window();
        assertThat(waiting.state()).isEqualTo(LeaseState.ACQUIRING);
        assertThat(waiting.handoverWait()).isGreaterThan(Duration.ofSeconds(2));
        assertThat(window.notBeforeMillis()).isGreaterThanOrEqualTo(lastTimestampOfA);
        IdGenerator generatorB = IdGenerator.builder().lease(b).timeSource(behind).build();
        assertThatThrownBy(generatorB::nextId).isInstanceOf(LeaseNotYetValidException.class);

        behind.advance(waiting.handoverWait());

        awaitState(b, LeaseState.ACTIVE);
        long firstOfB = generatorB.nextId();
        assertThat(generatorB.parse(firstOfB).timestamp().toEpochMilli()).isGreaterThan(window.notBeforeMillis())
            .isGreaterThan(lastTimestampOfA);
        assertThat(idsOfA).doesNotContain(firstOfB);
    }

    @Test
    void aRestartAfterAForwardClockJumpTakesAFreeWorkerIdRatherThanWaitOutItsOwnFutureReservation() throws Exception {
        TimeSource anHourAhead = TimeSource.systemWithOffset(3_600_000);
        ZooKeeperWorkerLease jumped = zk.activeLease(settings("node-a", 0, 1).build(), anHourAhead);
        IdGenerator generator = IdGenerator.builder().lease(jumped).timeSource(anHourAhead).build();
        long issuedInTheFuture = generator.parse(generator.nextId()).timestamp().toEpochMilli();
        assertThat(jumped.window().workerId()).isZero();
        jumped.close();

        // The clock is corrected; the same node name restarts and would prefer its
        // previous worker id.
        ZooKeeperWorkerLease corrected = zk.lease(zk.newClient(), settings("node-a", 0, 1).build(), system);
        corrected.start();
        awaitState(corrected, LeaseState.ACTIVE);

        assertThat(corrected.window().workerId()).isEqualTo(1);
        assertThat(corrected.snapshot().handoverWait()).isLessThan(Duration.ofSeconds(1));
        assertThat(corrected.holderOf(0)).hasValueSatisfying(holder -> assertThat(holder.live()).isFalse());
        long first = IdGenerator.builder().lease(corrected).build().nextId();
        assertThat(generator.parse(first).timestamp().toEpochMilli()).isLessThan(issuedInTheFuture);
    }

    @Test
    void aRestartAfterAForwardClockJumpThatLosesTheRaceForAFreeWorkerIdTakesTheNextFreeOneRatherThanItsOwn()
            throws Exception {
        TimeSource anHourAhead = TimeSource.systemWithOffset(3_600_000);
        ZooKeeperWorkerLease jumped = zk.activeLease(settings("node-a", 0, 2).build(), anHourAhead);
        IdGenerator.builder().lease(jumped).timeSource(anHourAhead).build().nextId();
        assertThat(jumped.window().workerId()).isZero();
        jumped.close();

        // The corrected node picks free worker id 1 over its own 0; another node starting
        // at the same moment creates worker id 1's claim first.
        RacingZnodeStore store = new RacingZnodeStore(new CuratorZnodeStore(zk.newClient()), "/idgen-test/claims/1",
                () -> zk.activeLease(settings("node-b", 1, 1).build(), system));
        ZooKeeperWorkerLease corrected = zk.lease(store, settings("node-a", 0, 2).build(), system);
        corrected.start();
        awaitState(corrected, LeaseState.ACTIVE);

        assertThat(store.raced()).isTrue();
        assertThat(corrected.window().workerId()).isEqualTo(2);
        assertThat(corrected.snapshot().handoverWait()).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void aWorkerIdWhoseReservationIsFarAheadIsStillTakenWhenNoOtherIsFree() throws Exception {
        TimeSource anHourAhead = TimeSource.systemWithOffset(3_600_000);
        ZooKeeperWorkerLease jumped = zk.activeLease(settings("node-a", 0, 0).build(), anHourAhead);
        IdGenerator.builder().lease(jumped).timeSource(anHourAhead).build().nextId();
        jumped.close();

        ZooKeeperWorkerLease corrected = zk.lease(zk.newClient(), settings("node-a", 0, 0).build(), system);
        corrected.start();
        await().atMost(BOUND).until(() -> corrected.window().workerId() == 0);

        assertThat(corrected.snapshot().state()).isEqualTo(LeaseState.ACQUIRING);
        assertThat(corrected.snapshot().handoverWait()).isGreaterThan(Duration.ofMinutes(59));
    }

    /**
     * Two clocks seconds apart on purpose. The peer clock check cannot refuse them (one
     * node runs at a time here, and with two neither is outvoted); its limit stays short
     * because a fresh store makes first claims wait twice the limit.
     */
    private static ZooKeeperLeaseSettings tolerantOfClocks(String nodeName) {
        return settings(nodeName, 0, 0).build();
    }

    static void assertStrictlyIncreasing(List<Long> ids) {
        for (int i = 1; i < ids.size(); i++) {
            if (ids.get(i) <= ids.get(i - 1)) {
                throw new AssertionError("id " + ids.get(i) + " at " + i + " does not follow " + ids.get(i - 1));
            }
        }
    }

    private static long last(List<Long> ids) {
        return ids.get(ids.size() - 1);
    }

    /**
     * Samples two leases' windows on its own thread and counts moments at which both
     * grant the same worker id. The second is read first: once it holds the id the first
     * may never hold it again.
     */
    static final class OverlapWatch {

        private final AtomicLong overlaps = new AtomicLong();

        private final AtomicLong samples = new AtomicLong();

        private final AtomicLong maxNotAfterOfFirst = new AtomicLong(Long.MIN_VALUE);

        private final Thread thread;

        private volatile boolean running = true;

        OverlapWatch(ZooKeeperWorkerLease first, ZooKeeperWorkerLease second, int workerId) {
            thread = new Thread(() -> {
                while (running) {
                    LeaseWindow secondWindow = second.window();
                    LeaseWindow firstWindow = first.window();
                    if (firstWindow.workerId() == workerId) {
                        maxNotAfterOfFirst.accumulateAndGet(firstWindow.notAfterMillis(), Math::max);
                        if (secondWindow.workerId() == workerId) {
                            overlaps.incrementAndGet();
                        }
                    }
                    samples.incrementAndGet();
                    LockSupport.parkNanos(500_000);
                }
            }, "overlap-watch");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }

        long overlaps() {
            return overlaps.get();
        }

        long samples() {
            return samples.get();
        }

        long maxNotAfterOfFirst() {
            return maxNotAfterOfFirst.get();
        }

    }

}
