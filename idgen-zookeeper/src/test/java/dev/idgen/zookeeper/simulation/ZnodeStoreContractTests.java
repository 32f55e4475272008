package dev.idgen.zookeeper.simulation;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import dev.idgen.zookeeper.ZnodeOp;
import dev.idgen.zookeeper.ZnodeStore;
import dev.idgen.zookeeper.ZnodeStore.ConnectionEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the lease may assume of a {@link ZnodeStore}, run against a real ZooKeeper through
 * Curator and against the simulator's in-memory model, so that the model cannot drift
 * from the real thing unseen. Every case drives both the same way; only starting an
 * ensemble, opening a client, expiring a session and letting the server's clock move are
 * left to the subclass.
 */
abstract class ZnodeStoreContractTests {

    /** The ensemble's tickTime: sessions are granted between 2 and 20 ticks. */
    static final int TICK_MILLIS = 2000;

    /**
     * Awaited states are reached in well under a second; this is a bound, not an
     * expectation.
     */
    static final Duration BOUND = Duration.ofSeconds(20);

    private static final byte[] DATA = "data".getBytes(UTF_8);

    private static final byte[] OTHER = "other data".getBytes(UTF_8);

    protected ZnodeStore store;

    /** Starts a fresh ensemble whose tickTime is {@link #TICK_MILLIS}. */
    protected abstract void startEnsemble() throws Exception;

    /** Closes every client opened and the ensemble. */
    protected abstract void stopEnsemble() throws Exception;

    /** A new client with its own session, connected when returned. */
    protected abstract ZnodeStore newStore(int requestedSessionTimeoutMillis) throws Exception;

    /**
     * Has the server end {@code client}'s session (deleting its ephemeral nodes) and
     * returns once the client has noticed and connected again with a new session.
     */
    protected abstract void expireSession(ZnodeStore client) throws Exception;

    /** The server's clock now. */
    protected abstract long serverTimeMillis();

    /** Returns once the server's clock has moved forward at least a millisecond. */
    protected abstract void letServerTimePass();

    @BeforeEach
    void startEnsembleAndClient() throws Exception {
        startEnsemble();
        store = newStore(3000);
    }

    @AfterEach
    void closeEnsemble() throws Exception {
        stopEnsemble();
    }

    @Test
    void aConnectedClientHasASessionOfItsOwn() throws Exception {
        ZnodeStore other = newStore(3000);

        assertThat(store.isConnected()).isTrue();
        assertThat(store.sessionId()).isNotZero();
        assertThat(other.sessionId()).isNotZero().isNotEqualTo(store.sessionId());
    }

    @Test
    void theRequestedSessionTimeoutIsClampedIntoTwoToTwentyTicks() throws Exception {
        assertThat(store.negotiatedSessionTimeoutMillis()).isEqualTo(2 * TICK_MILLIS);
        assertThat(newStore(5 * TICK_MILLIS).negotiatedSessionTimeoutMillis()).isEqualTo(5 * TICK_MILLIS);
        assertThat(newStore(30 * TICK_MILLIS).negotiatedSessionTimeoutMillis()).isEqualTo(20 * TICK_MILLIS);
    }

    @Test
    void aCreatedNodeReadsBackWithItsDataAndAFreshStatAndItsParentsAreCreatedEmpty() throws Exception {
        Stat created = store.create("/a/b/c", DATA, CreateMode.PERSISTENT);

        assertThat(created.getVersion()).isZero();
        assertThat(created.getCzxid()).isPositive().isEqualTo(created.getMzxid());
        assertThat(created.getCtime()).isEqualTo(created.getMtime());
        assertThat(created.getEphemeralOwner()).isZero();
        assertThat(created.getDataLength()).isEqualTo(DATA.length);
        assertThat(created.getNumChildren()).isZero();
        Stat read = new Stat();
        assertThat(store.getData("/a/b/c", read)).isEqualTo(DATA);
        assertThat(read).isEqualTo(created);
        assertThat(store.exists("/a/b/c")).isEqualTo(created);
        assertThat(store.children("/a/b")).containsExactly("c");
        Stat parent = new Stat();
        assertThat(store.getData("/a/b", parent)).isEmpty();
        assertThat(parent.getEphemeralOwner()).isZero();
        assertThat(parent.getNumChildren()).isOne();
        assertThat(parent.getCzxid()).isLessThan(created.getCzxid());
    }

    @Test
    void creatingANodeThatExistsFailsWithNodeExistsAndLeavesItAsItWas() throws Exception {
        Stat created = store.create("/a", DATA, CreateMode.PERSISTENT);

        assertThatExceptionOfType(KeeperException.NodeExistsException.class)
            .isThrownBy(() -> store.create("/a", OTHER, CreateMode.PERSISTENT));
        assertThatExceptionOfType(KeeperException.NodeExistsException.class)
            .isThrownBy(() -> store.create("/a", OTHER, CreateMode.EPHEMERAL));
        assertThat(store.getData("/a", new Stat())).isEqualTo(DATA);
        assertThat(store.exists("/a")).isEqualTo(created);
    }

    @Test
    void aMissingNodeFailsReadsAndWritesWithNoNodeWhileExistsAndChildrenAnswerEmpty() throws Exception {
        assertThat(store.exists("/missing")).isNull();
        assertThat(store.children("/missing")).isEmpty();
        assertThatExceptionOfType(KeeperException.NoNodeException.class)
            .isThrownBy(() -> store.getData("/missing", new Stat()));
        assertThatExceptionOfType(KeeperException.NoNodeException.class)
            .isThrownBy(() -> store.setData("/missing", DATA, -1));
        assertThatExceptionOfType(KeeperException.NoNodeException.class).isThrownBy(() -> store.delete("/missing", -1));
    }

    @Test
    void setDataAtTheCurrentVersionOrAnyVersionBumpsTheVersionAndMzxidButNotTheCreation() throws Exception {
        Stat created = store.create("/a", DATA, CreateMode.PERSISTENT);

        Stat first = store.setData("/a", OTHER, 0);
        Stat second = store.setData("/a", DATA, -1);

        assertThat(first.getVersion()).isOne();
        assertThat(first.getMzxid()).isGreaterThan(created.getMzxid());
        assertThat(first.getDataLength()).isEqualTo(OTHER.length);
        assertThat(second.getVersion()).isEqualTo(2);
        assertThat(second.getMzxid()).isGreaterThan(first.getMzxid());
        assertThat(second.getCzxid()).isEqualTo(created.getCzxid());
        assertThat(second.getCtime()).isEqualTo(created.getCtime());
        Stat read = new Stat();
        assertThat(store.getData("/a", read)).isEqualTo(DATA);
        assertThat(read).isEqualTo(second);
    }

    @Test
    void theServerStampsMtimeFromItsOwnClockOnSetData() throws Exception {
        Stat created = store.create("/a", DATA, CreateMode.PERSISTENT);
        letServerTimePass();

        long before = serverTimeMillis();
        Stat changed = store.setData("/a", OTHER, 0);
        long after = serverTimeMillis();

        assertThat(changed.getMtime()).isBetween(before, after).isGreaterThan(created.getCtime());
        assertThat(changed.getCtime()).isEqualTo(created.getCtime());
    }

    @Test
    void aWriteAtAnotherVersionFailsWithBadVersionAndChangesNothing() throws Exception {
        Stat created = store.create("/a", DATA, CreateMode.PERSISTENT);

        assertThatExceptionOfType(KeeperException.BadVersionException.class)
            .isThrownBy(() -> store.setData("/a", OTHER, 1));
        assertThatExceptionOfType(KeeperException.BadVersionException.class).isThrownBy(() -> store.delete("/a", 3));
        assertThat(store.getData("/a", new Stat())).isEqualTo(DATA);
        assertThat(store.exists("/a")).isEqualTo(created);
    }

    @Test
    void deleteAtTheCurrentVersionRemovesTheNodeButNotOneWithChildren() throws Exception {
        store.create("/a/b", DATA, CreateMode.PERSISTENT);
        store.setData("/a/b", OTHER, 0);

        assertThatExceptionOfType(KeeperException.NotEmptyException.class).isThrownBy(() -> store.delete("/a", 0));
        store.delete("/a/b", 1);

        assertThat(store.exists("/a/b")).isNull();
        assertThat(store.children("/a")).isEmpty();
        store.delete("/a", -1);
        assertThat(store.exists("/a")).isNull();
    }

    @Test
    void anEphemeralNodeIsOwnedByTheSessionThatCreatedItAndCannotHaveChildren() throws Exception {
        ZnodeStore other = newStore(3000);

        Stat ephemeral = store.create("/e/mine", DATA, CreateMode.EPHEMERAL);

        assertThat(ephemeral.getEphemeralOwner()).isEqualTo(store.sessionId());
        assertThat(other.exists("/e/mine").getEphemeralOwner()).isEqualTo(store.sessionId());
        assertThat(other.exists("/e").getEphemeralOwner()).isZero();
        assertThatExceptionOfType(KeeperException.NoChildrenForEphemeralsException.class)
            .isThrownBy(() -> store.create("/e/mine/child", DATA, CreateMode.PERSISTENT));
    }

    @Test
    void sequentialNodesAreNumberedByTheParentsTenDigitCounterOfCreationsWhichNeverRepeats() throws Exception {
        store.create("/seq/n-", DATA, CreateMode.PERSISTENT_SEQUENTIAL);
        assertThat(store.children("/seq")).containsExactly("n-0000000000");

        store.create("/seq/plain", DATA, CreateMode.PERSISTENT);
        store.delete("/seq/n-0000000000", -1);
        Stat ephemeral = store.create("/seq/n-", DATA, CreateMode.EPHEMERAL_SEQUENTIAL);

        assertThat(store.children("/seq")).containsExactlyInAnyOrder("plain", "n-0000000002");
        assertThat(ephemeral.getEphemeralOwner()).isEqualTo(store.sessionId());
        // three creations and one deletion: cversion counts both, the sequence only
        // creations
        assertThat(store.exists("/seq").getCversion()).isEqualTo(4);
    }

    @Test
    void aProtectedEphemeralSequentialNodeCarriesCuratorsMarkerAndTheSessionAsOwner() throws Exception {
        Stat stat = new Stat();

        String path = store.createEphemeralSequential("/leases/worker-", DATA, stat);

        assertThat(path).matches(
                "/leases/_c_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}-worker-0000000000");
        assertThat(stat.getEphemeralOwner()).isEqualTo(store.sessionId());
        assertThat(stat.getDataLength()).isEqualTo(DATA.length);
        assertThat(store.getData(path, new Stat())).isEqualTo(DATA);
        String second = store.createEphemeralSequential("/leases/worker-", DATA, new Stat());
        assertThat(second).endsWith("-worker-0000000001").isNotEqualTo(path);
    }

    @Test
    void aMultiAppliesEveryOperationInOneTransaction() throws Exception {
        store.create("/m", DATA, CreateMode.PERSISTENT);
        store.create("/m/old", DATA, CreateMode.PERSISTENT);

        List<Stat> stats = store
            .multi(List.of(new ZnodeOp.Check("/m", 0), new ZnodeOp.Create("/m/new", OTHER, CreateMode.EPHEMERAL),
                    new ZnodeOp.SetData("/m", OTHER, 0), new ZnodeOp.Delete("/m/old", 0)));

        assertThat(stats).hasSize(4);
        assertThat(stats.get(0)).isNull();
        assertThat(stats.get(2).getVersion()).isOne();
        assertThat(stats.get(3)).isNull();
        Stat created = store.exists("/m/new");
        assertThat(created.getEphemeralOwner()).isEqualTo(store.sessionId());
        assertThat(created.getCzxid()).isEqualTo(stats.get(2).getMzxid());
        assertThat(store.children("/m")).containsExactly("new");
        assertThat(store.getData("/m", new Stat())).isEqualTo(OTHER);
    }

    @Test
    void aFailingMultiAppliesNothingAndThrowsTheFirstFailingOperationsException() throws Exception {
        store.create("/m", DATA, CreateMode.PERSISTENT);
        store.create("/m/child", DATA, CreateMode.PERSISTENT);
        Stat before = store.exists("/m");
        ZnodeOp.Create create = new ZnodeOp.Create("/m/new", DATA, CreateMode.PERSISTENT);
        ZnodeOp.SetData set = new ZnodeOp.SetData("/m", OTHER, 0);

        assertMultiFails(KeeperException.BadVersionException.class, create, set, new ZnodeOp.Check("/m", 7));
        assertMultiFails(KeeperException.NoNodeException.class, create, set, new ZnodeOp.Check("/missing", 0));
        assertMultiFails(KeeperException.NodeExistsException.class, set,
                new ZnodeOp.Create("/m/child", DATA, CreateMode.PERSISTENT));
        assertMultiFails(KeeperException.NoNodeException.class, create,
                new ZnodeOp.Create("/missing/child", DATA, CreateMode.PERSISTENT));
        assertMultiFails(KeeperException.BadVersionException.class, create, new ZnodeOp.SetData("/m", OTHER, 4));
        assertMultiFails(KeeperException.NoNodeException.class, set, new ZnodeOp.SetData("/missing", OTHER, -1));
        assertMultiFails(KeeperException.BadVersionException.class, create, new ZnodeOp.Delete("/m/child", 2));
        assertMultiFails(KeeperException.NotEmptyException.class, set, new ZnodeOp.Delete("/m", -1));
        assertMultiFails(KeeperException.BadVersionException.class, new ZnodeOp.Check("/m", 7),
                new ZnodeOp.Create("/m/child", DATA, CreateMode.PERSISTENT));
        assertMultiFails(KeeperException.NodeExistsException.class, create, create);

        assertThat(store.exists("/m")).isEqualTo(before);
        assertThat(store.children("/m")).containsExactly("child");
        assertThat(store.getData("/m", new Stat())).isEqualTo(DATA);
    }

    private void assertMultiFails(Class<? extends KeeperException> expected, ZnodeOp... ops) {
        assertThatExceptionOfType(expected).isThrownBy(() -> store.multi(List.of(ops)));
    }

    @Test
    void anExpiredSessionTakesItsEphemeralNodesAlongAndTheClientComesBackWithANewSession() throws Exception {
        ZnodeStore observer = newStore(3000);
        List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
        List<ConnectionEvent> removed = new CopyOnWriteArrayList<>();
        Consumer<ConnectionEvent> removedListener = removed::add;
        store.addConnectionListener(events::add);
        store.addConnectionListener(removedListener);
        store.removeConnectionListener(removedListener);
        long expired = store.sessionId();
        store.create("/lease/persistent", DATA, CreateMode.PERSISTENT);
        store.create("/lease/ephemeral", DATA, CreateMode.EPHEMERAL);
        String sequential = store.createEphemeralSequential("/lease/worker-", DATA, new Stat());

        expireSession(store);

        await().atMost(BOUND)
            .untilAsserted(
                    () -> assertThat(events).containsSubsequence(ConnectionEvent.LOST, ConnectionEvent.RECONNECTED));
        assertThat(removed).isEmpty();
        assertThat(store.isConnected()).isTrue();
        assertThat(store.sessionId()).isNotZero().isNotEqualTo(expired);
        assertThat(observer.children("/lease")).containsExactly("persistent");
        assertThat(store.exists("/lease/ephemeral")).isNull();
        assertThat(store.exists(sequential)).isNull();
        Stat again = store.create("/lease/ephemeral", DATA, CreateMode.EPHEMERAL);
        assertThat(again.getEphemeralOwner()).isEqualTo(store.sessionId());
    }

    @Test
    void dataHandedInOrOutIsACopy() throws Exception {
        byte[] data = DATA.clone();
        store.create("/a", data, CreateMode.PERSISTENT);
        data[0] = 'X';

        byte[] read = store.getData("/a", new Stat());
        read[1] = 'X';

        assertThat(store.getData("/a", new Stat())).isEqualTo(DATA);
    }

}
