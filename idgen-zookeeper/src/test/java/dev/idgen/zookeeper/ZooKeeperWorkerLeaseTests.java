package dev.idgen.zookeeper;

import static dev.idgen.zookeeper.LeaseTestSupport.BOUND;
import static dev.idgen.zookeeper.LeaseTestSupport.awaitState;
import static dev.idgen.zookeeper.LeaseTestSupport.settings;
import static dev.idgen.zookeeper.LeaseTestSupport.shiftedBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.idgen.core.lease.LeaseSnapshot;
import dev.idgen.core.lease.LeaseState;
import dev.idgen.core.lease.WorkerHolder;
import dev.idgen.core.lease.WorkerIdUnavailableException;
import dev.idgen.core.IdGenerator;
import dev.idgen.core.clock.TimeSource;
import dev.idgen.core.lease.LeaseWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/**
 * The lease against a real single ZooKeeper server: claim, exhaustion, restart, release,
 * life cycle.
 */
class ZooKeeperWorkerLeaseTests extends SingleServerLeaseTests {

    @Test
    void leasesOnOneEnsembleClaimDistinctWorkerIdsAndIssueIdsCarryingThem() throws Exception {
        List<ZooKeeperWorkerLease> leases = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            leases.add(zk.activeLease(settings("node-" + i, 0, 9).build(), system));
        }

        Set<Integer> workerIds = leases.stream().map(lease -> lease.window().workerId()).collect(Collectors.toSet());
        assertThat(workerIds).hasSize(4).allMatch(id -> id >= 0 && id <= 9);
        List<WorkerHolder> members = leases.get(3).members();
        assertThat(members).extracting(WorkerHolder::nodeName)
            .containsExactlyInAnyOrder("node-0", "node-1", "node-2", "node-3");
        assertThat(members).extracting(WorkerHolder::workerId).containsExactlyInAnyOrderElementsOf(workerIds);
        assertThat(members).allSatisfy(member -> assertThat(member.port()).isEqualTo(8080));
        for (int i = 0; i < leases.size(); i++) {
            ZooKeeperWorkerLease lease = leases.get(i);
            int workerId = lease.window().workerId();
            long id = IdGenerator.builder().lease(lease).build().nextId();
            assertThat(IdGenerator.builder().workerId(0).build().parse(id).workerId()).isEqualTo(workerId);
            WorkerHolder holder = leases.get(0).holderOf(workerId).orElseThrow();
            assertThat(holder.nodeName()).isEqualTo("node-" + i);
            assertThat(holder.live()).isTrue();
            assertThat(holder.host()).isEqualTo("127.0.0.1");
            assertThat(holder.port()).isEqualTo(8080);
            assertThat(holder.since()).isNotNull();
            LeaseSnapshot snapshot = lease.snapshot();
            assertThat(snapshot.state()).isEqualTo(LeaseState.ACTIVE);
            assertThat(snapshot.assignment()).isEqualTo("zookeeper");
            assertThat(snapshot.workerId()).isEqualTo(workerId);
            assertThat(snapshot.reservedUntil()).isNotNull();
            assertThat(snapshot.timeLeft()).isPositive();
        }
    }

    @Test
    void aFullRangeFailsWithAnErrorNamingTheRangeAndItsHoldersAndSharesNothing() throws Exception {
        zk.activeLease(settings("node-a", 5, 6).build(), system);
        zk.activeLease(settings("node-b", 5, 6).build(), system);
        ZooKeeperWorkerLease third = zk.lease(zk.newClient(), settings("node-c", 5, 6).build(), system);
        third.start();

        assertThatThrownBy(() -> third.awaitActive(BOUND)).isInstanceOf(WorkerIdUnavailableException.class)
            .hasMessageContaining("5 to 6")
            .hasMessageContaining("node-a")
            .hasMessageContaining("node-b");
        assertThat(third.window()).isEqualTo(LeaseWindow.none());
        assertThat(third.snapshot().workerId()).isEqualTo(-1);
        assertThat(third.snapshot().state()).isEqualTo(LeaseState.ACQUIRING);
    }

    @Test
    void aNodeRestartedUnderTheSameNameGetsItsPreviousWorkerIdBackRatherThanTheLowest() throws Exception {
        ZooKeeperWorkerLease a = zk.activeLease(settings("node-a", 0, 9).build(), system);
        ZooKeeperWorkerLease b = zk.activeLease(settings("node-b", 0, 9).build(), system);
        int bWorkerId = b.window().workerId();
        assertThat(bWorkerId).isNotEqualTo(a.window().workerId());
        a.close();
        b.close();

        ZooKeeperWorkerLease restartedB = zk.activeLease(settings("node-b", 0, 9).build(), system);

        assertThat(restartedB.window().workerId()).isEqualTo(bWorkerId).isNotEqualTo(0);
        assertThat(restartedB.snapshot().reclaims()).isZero();
    }

    @Test
    void closingFreesTheWorkerIdAtOnceAndLowersTheReservationToTheLastIdIssued() throws Exception {
        ZooKeeperWorkerLease a = zk.activeLease(settings("node-a", 3, 3).build(), system);
        IdGenerator generatorA = IdGenerator.builder().lease(a).build();
        long lastOfA = generatorA.nextId();
        long reservedWhileActive = a.snapshot().reservedUntil().toEpochMilli();

        a.close();
        long closedAt = system.currentTimeMillis();

        assertThat(a.window()).isEqualTo(LeaseWindow.none());
        assertThat(a.snapshot().state()).isEqualTo(LeaseState.CLOSED);
        ZooKeeperWorkerLease b = zk.activeLease(settings("node-b", 3, 3).build(), system);
        LeaseWindow windowB = b.window();
        assertThat(windowB.workerId()).isEqualTo(3);
        // The close wrote the highest timestamp the generator issued: exactly the last
        // id's, so the next
        // holder does not wait out the reservation's lead ...
        long timestampOfA = generatorA.parse(lastOfA).timestamp().toEpochMilli();
        assertThat(windowB.notBeforeMillis()).isEqualTo(timestampOfA)
            .isLessThanOrEqualTo(closedAt)
            .isLessThan(reservedWhileActive);
        long firstOfB = IdGenerator.builder().lease(b).build().nextId();
        assertThat(generatorA.parse(firstOfB).timestamp().toEpochMilli()).isGreaterThan(timestampOfA);
        assertThat(firstOfB).isNotEqualTo(lastOfA);
        assertThat(b.holderOf(3)).hasValueSatisfying(holder -> {
            assertThat(holder.nodeName()).isEqualTo("node-b");
            assertThat(holder.live()).isTrue();
        });
    }

    @Test
    void holderOfNamesTheLastHolderFromTheReservationOnceNobodyHoldsTheWorkerId() throws Exception {
        ZooKeeperWorkerLease a = zk.activeLease(settings("node-a", 7, 7).build(), system);
        ZooKeeperWorkerLease observer = zk.lease(zk.newClient(), settings("observer", 7, 7).build(), system);
        a.close();

        assertThat(observer.holderOf(7)).hasValueSatisfying(holder -> {
            assertThat(holder.nodeName()).isEqualTo("node-a");
            assertThat(holder.live()).isFalse();
        });
        assertThat(observer.holderOf(8)).isEmpty();
    }

    @Test
    void aLeaseCannotBeStartedTwiceAndClosingIsIdempotent() throws Exception {
        ZooKeeperWorkerLease lease = zk.activeLease(settings("node-a", 0, 0).build(), system);

        assertThatThrownBy(lease::start).isInstanceOf(IllegalStateException.class)
            .hasMessage("Cannot be started more than once");
        lease.close();
        lease.close();
        assertThat(lease.snapshot().state()).isEqualTo(LeaseState.CLOSED);
        assertThatThrownBy(lease::start).isInstanceOf(IllegalStateException.class);
        // The id was released exactly once: another node claims it.
        assertThat(zk.activeLease(settings("node-b", 0, 0).build(), system).window().workerId()).isZero();
    }

    @Test
    void startDoesNotWaitForZooKeeperAndAwaitActiveReturnsTheLeaseAsItIsAfterTheTimeout() throws Exception {
        try (PartitionableProxy proxy = new PartitionableProxy(server.getPort())) {
            proxy.partition();
            CuratorFramework unreachable = zk.newClient(proxy.connectString());
            ZooKeeperWorkerLease lease = zk.lease(unreachable, settings("node-a", 0, 0).build(), system);

            lease.start();
            LeaseSnapshot snapshot = lease.awaitActive(Duration.ofMillis(200));

            assertThat(snapshot.state()).isEqualTo(LeaseState.ACQUIRING);
            assertThat(lease.window()).isEqualTo(LeaseWindow.none());
            proxy.heal();
            assertThat(lease.awaitActive(BOUND).state()).isEqualTo(LeaseState.ACTIVE);
        }
    }

    @Test
    void stateListenersSeeEveryChangeInOrder() throws Exception {
        ZooKeeperWorkerLease lease = zk.lease(zk.newClient(), settings("node-a", 0, 0).build(), system);
        List<LeaseState> seen = new CopyOnWriteArrayList<>();
        lease.addStateListener(snapshot -> seen.add(snapshot.state()));

        lease.start();
        awaitState(lease, LeaseState.ACTIVE);
        lease.close();

        await().atMost(BOUND).until(() -> seen.contains(LeaseState.CLOSED));
        assertThat(seen).containsExactly(LeaseState.ACTIVE, LeaseState.CLOSED);
    }

    @Test
    void aNodeWhoseClockRunsAheadOfItsPeersStopsIssuingUntilItIsBackWithinTheLimit() throws Exception {
        zk.activeLease(settings("node-a", 0, 9).build(), system);
        zk.activeLease(settings("node-b", 0, 9).build(), system);
        zk.activeLease(settings("node-d", 0, 9).build(), system);
        AtomicLong offset = new AtomicLong();
        ZooKeeperWorkerLease skewed = zk.activeLease(settings("node-c", 0, 9).build(), shiftedBy(offset));
        await().atMost(BOUND).until(() -> skewed.snapshot().peerClockOffset() != null);
        assertThat(skewed.snapshot().peerClockOffset().abs()).isLessThan(Duration.ofSeconds(1));

        offset.set(5_000);

        awaitState(skewed, LeaseState.SUSPENDED);
        assertThat(skewed.window()).isEqualTo(LeaseWindow.none());
        assertThat(skewed.snapshot().peerClockOffset()).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(6));

        offset.set(0);

        awaitState(skewed, LeaseState.ACTIVE);
        assertThat(skewed.window().holdsWorker()).isTrue();
        assertThat(skewed.snapshot().peerClockOffset().abs()).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void oneSkewedClockAmongThreeNodesStopsOnlyThatNode() throws Exception {
        ZooKeeperWorkerLease healthyA = zk.activeLease(settings("node-a", 0, 9).build(), system);
        ZooKeeperWorkerLease healthyB = zk.activeLease(settings("node-b", 0, 9).build(), system);
        AtomicLong offset = new AtomicLong();
        ZooKeeperWorkerLease skewed = zk.activeLease(settings("node-c", 0, 9).build(), shiftedBy(offset));
        await().atMost(BOUND).until(() -> skewed.snapshot().peerClockOffset() != null);

        offset.set(5_000);
        awaitState(skewed, LeaseState.SUSPENDED);

        // The healthy pair keeps issuing through several heartbeats that saw the skewed
        // peer.
        await().during(Duration.ofMillis(2_000))
            .atMost(BOUND)
            .until(() -> healthyA.snapshot().state() == LeaseState.ACTIVE
                    && healthyB.snapshot().state() == LeaseState.ACTIVE && healthyA.window().holdsWorker()
                    && healthyB.window().holdsWorker());
        assertThat(healthyA.snapshot().peerClockOffset().abs()).isLessThan(Duration.ofSeconds(1));
        assertThat(skewed.snapshot().peerClockOffset()).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(6));
    }

    @Test
    void withTwoNodesNeitherCanTellWhichClockIsWrongSoNeitherRefuses() throws Exception {
        ZooKeeperWorkerLease first = zk.activeLease(settings("node-a", 0, 9).build(), system);
        AtomicLong offset = new AtomicLong();
        ZooKeeperWorkerLease second = zk.activeLease(settings("node-b", 0, 9).build(), shiftedBy(offset));
        await().atMost(BOUND).until(() -> second.snapshot().peerClockOffset() != null);

        offset.set(5_000);

        await().atMost(BOUND)
            .until(() -> second.snapshot().peerClockOffset().abs().compareTo(Duration.ofSeconds(2)) > 0);
        await().during(Duration.ofMillis(2_000))
            .atMost(BOUND)
            .until(() -> first.snapshot().state() == LeaseState.ACTIVE
                    && second.snapshot().state() == LeaseState.ACTIVE);
    }

    @Test
    void aWallClockSteppedBackCannotStretchTheWindowOfAHolderThatZooKeeperNoLongerConfirms() throws Exception {
        try (PartitionableProxy proxy = new PartitionableProxy(server.getPort())) {
            AtomicLong offset = new AtomicLong();
            TimeSource clock = shiftedBy(offset);
            // A long session, so the window must end long before the session could be
            // declared lost.
            Duration session = Duration.ofSeconds(12);
            ZooKeeperWorkerLease lease = zk.lease(zk.newClient(proxy.connectString(), session),
                    settings("node-a", 0, 0).sessionTimeout(session).build(), clock);
            lease.start();
            awaitState(lease, LeaseState.ACTIVE);

            proxy.partition();
            LeaseWindow lastGranted = lease.window();
            offset.set(-10_000);

            await().atMost(Duration.ofSeconds(8)).until(() -> !lease.window().holdsWorker());
            // By the stepped-back wall clock the last window would not have ended yet,
            // and the session is not
            // yet lost: the watchdog on the monotonic clock closed it.
            assertThat(clock.currentTimeMillis()).isLessThan(lastGranted.notAfterMillis());
            assertThat(lease.snapshot().state()).isEqualTo(LeaseState.SUSPENDED);
            assertThat(lease.snapshot().timeLeft()).isZero();
        }
    }

}
