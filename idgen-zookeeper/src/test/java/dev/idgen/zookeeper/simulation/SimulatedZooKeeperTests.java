package dev.idgen.zookeeper.simulation;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.idgen.zookeeper.ZnodeOp;
import dev.idgen.zookeeper.ZnodeStore.ConnectionEvent;
import dev.idgen.zookeeper.simulation.SimulatedZnodeStore.ReplyLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/** What only the model has: simulated time, fault switches, wipe and stale reads. */
class SimulatedZooKeeperTests {

    private static final byte[] DATA = "data".getBytes(UTF_8);

    /** Tick 2 s; a requested 6 s is granted as is. */
    private final SimulatedZooKeeper zk = new SimulatedZooKeeper(2000, 0);

    private final List<ConnectionEvent> events = new ArrayList<>();

    private final SimulatedZnodeStore store = connected(new Random(1));

    private SimulatedZnodeStore connected(Random random) {
        SimulatedZnodeStore client = new SimulatedZnodeStore(zk, 6000, random);
        client.addConnectionListener(events::add);
        client.connect();
        return client;
    }

    /**
     * Moves time in 500 ms steps, each followed by the client's onTime(): a live, idle
     * client.
     */
    private void runFor(long millis) {
        long until = zk.nowMillis() + millis;
        while (zk.nowMillis() < until) {
            zk.advanceTo(Math.min(until, zk.nowMillis() + 500));
            store.onTime();
        }
    }

    @Test
    void theSessionTimeoutIsClampedIntoTwoToTwentyTicksOfTheConfiguredTick() {
        SimulatedZooKeeper fast = new SimulatedZooKeeper(100, 0);

        assertThat(fast.negotiateSessionTimeout(50)).isEqualTo(200);
        assertThat(fast.negotiateSessionTimeout(1500)).isEqualTo(1500);
        assertThat(fast.negotiateSessionTimeout(60_000)).isEqualTo(2000);
        assertThat(store.negotiatedSessionTimeoutMillis()).isEqualTo(6000);
        assertThat(events).containsExactly(ConnectionEvent.CONNECTED);
    }

    @Test
    void theServerExpiresASessionExactlyATimeoutAfterItLastHeardFromItAndDeletesItsEphemeralNodes() throws Exception {
        store.create("/lease/mine", DATA, CreateMode.EPHEMERAL);
        zk.advanceTo(1000);
        store.disconnect();
        long session = store.sessionId();

        zk.advanceTo(5999);
        assertThat(zk.isSessionAlive(session)).isTrue();
        assertThat(zk.sessionDeadlineMillis(session)).isEqualTo(6000);
        long zxidBefore = zk.lastZxid();
        zk.advanceTo(6000);

        assertThat(zk.isSessionAlive(session)).isFalse();
        assertThat(zk.stat("/lease/mine")).isNull();
        assertThat(zk.stat("/lease")).isNotNull();
        assertThat(zk.lastZxid()).isEqualTo(zxidBefore + 1);
        assertThat(zk.stat("/lease").getPzxid()).isEqualTo(zk.lastZxid());
    }

    @Test
    void aDisconnectedClientFiresLostOnceATimeoutHasPassedSinceItNoticedTheDisconnect() {
        zk.advanceTo(1000);
        store.disconnect();
        long session = store.sessionId();

        zk.advanceTo(6999);
        store.onTime();
        assertThat(events).containsExactly(ConnectionEvent.CONNECTED, ConnectionEvent.SUSPENDED);
        assertThat(store.sessionId()).isEqualTo(session);
        zk.advanceTo(7000);
        store.onTime();
        store.onTime();

        assertThat(events).containsExactly(ConnectionEvent.CONNECTED, ConnectionEvent.SUSPENDED, ConnectionEvent.LOST);
        assertThat(store.sessionId()).isZero();
        assertThat(store.isConnected()).isFalse();
    }

    @Test
    void requestsWhileDisconnectedFailWithConnectionLossAndNeverReachTheServer() throws Exception {
        store.disconnect();
        long zxid = zk.lastZxid();

        assertThatExceptionOfType(KeeperException.ConnectionLossException.class)
            .isThrownBy(() -> store.create("/a", DATA, CreateMode.PERSISTENT));
        assertThatExceptionOfType(KeeperException.ConnectionLossException.class).isThrownBy(() -> store.exists("/"));

        assertThat(zk.lastZxid()).isEqualTo(zxid);
        assertThat(zk.stat("/a")).isNull();
        assertThat(zk.sessionDeadlineMillis(store.sessionId())).isEqualTo(6000);
    }

    @Test
    void anIdleConnectedClientIsKeptAliveByPingsButAPausedOneIsExpiredAndFindsOutOnItsNextTick() throws Exception {
        store.create("/mine", DATA, CreateMode.EPHEMERAL);
        long session = store.sessionId();
        runFor(60_000);
        assertThat(zk.isSessionAlive(session)).isTrue();

        zk.advanceTo(zk.nowMillis() + 6000);

        assertThat(zk.isSessionAlive(session)).isFalse();
        assertThat(zk.stat("/mine")).isNull();
        assertThatExceptionOfType(KeeperException.SessionExpiredException.class).isThrownBy(() -> store.exists("/"));
        store.onTime();
        assertThat(events).containsExactly(ConnectionEvent.CONNECTED, ConnectionEvent.SUSPENDED, ConnectionEvent.LOST,
                ConnectionEvent.RECONNECTED);
        assertThat(store.sessionId()).isNotZero().isNotEqualTo(session);
        assertThat(store.isConnected()).isTrue();
    }

    @Test
    void reconnectingBeforeTheServerExpiresTheSessionKeepsItAndItsEphemeralNodes() throws Exception {
        store.create("/mine", DATA, CreateMode.EPHEMERAL);
        long session = store.sessionId();
        store.disconnect();
        zk.advanceTo(5000);

        store.reconnect();
        zk.advanceTo(10_000);

        assertThat(events).containsExactly(ConnectionEvent.CONNECTED, ConnectionEvent.SUSPENDED,
                ConnectionEvent.RECONNECTED);
        assertThat(store.sessionId()).isEqualTo(session);
        assertThat(store.exists("/mine").getEphemeralOwner()).isEqualTo(session);
    }

    @Test
    void reconnectingAfterTheServerExpiredTheSessionFiresLostThenReconnectedWithANewSession() throws Exception {
        store.create("/mine", DATA, CreateMode.EPHEMERAL);
        long session = store.sessionId();
        store.disconnect();
        zk.advanceTo(6000);

        store.reconnect();

        assertThat(events).containsExactly(ConnectionEvent.CONNECTED, ConnectionEvent.SUSPENDED, ConnectionEvent.LOST,
                ConnectionEvent.RECONNECTED);
        assertThat(store.sessionId()).isNotZero().isNotEqualTo(session);
        assertThat(zk.sessionIds()).containsExactly(store.sessionId());
        assertThat(store.exists("/mine")).isNull();
    }

    @Test
    void reconnectingAfterLostWasFiredLocallyOnlyAddsReconnectedWithANewSession() {
        long session = store.sessionId();
        store.disconnect();
        zk.advanceTo(6000);
        store.onTime();

        store.reconnect();

        assertThat(events).containsExactly(ConnectionEvent.CONNECTED, ConnectionEvent.SUSPENDED, ConnectionEvent.LOST,
                ConnectionEvent.RECONNECTED);
        assertThat(store.sessionId()).isNotZero().isNotEqualTo(session);
    }

    @Test
    void aLostReplyIsAppliedOnTheServerAndSurfacesAsConnectionLoss() throws Exception {
        store.loseNextReply(ReplyLoss.CONNECTION_LOSS);

        assertThatExceptionOfType(KeeperException.ConnectionLossException.class)
            .isThrownBy(() -> store.create("/a", DATA, CreateMode.PERSISTENT));

        assertThat(zk.data("/a")).isEqualTo(DATA);
        assertThat(store.isConnected()).isTrue();
        assertThat(store.create("/b", DATA, CreateMode.PERSISTENT)).isNotNull();
    }

    @Test
    void aRetriedLostReplyReturnsTheRetrysOutcome() throws Exception {
        store.create("/a", DATA, CreateMode.PERSISTENT);

        store.loseNextReply(ReplyLoss.RETRY);
        assertThatExceptionOfType(KeeperException.NodeExistsException.class)
            .isThrownBy(() -> store.create("/b", DATA, CreateMode.PERSISTENT));
        assertThat(zk.stat("/b")).isNotNull();

        store.loseNextReply(ReplyLoss.RETRY);
        assertThatExceptionOfType(KeeperException.BadVersionException.class)
            .isThrownBy(() -> store.setData("/a", DATA, 0));
        assertThat(zk.stat("/a").getVersion()).isOne();

        store.loseNextReply(ReplyLoss.RETRY);
        assertThat(store.setData("/a", DATA, -1).getVersion()).isEqualTo(3);

        store.loseNextReply(ReplyLoss.RETRY);
        assertThatExceptionOfType(KeeperException.BadVersionException.class).isThrownBy(() -> store
            .multi(List.of(new ZnodeOp.SetData("/a", DATA, 3), new ZnodeOp.Create("/c", DATA, CreateMode.PERSISTENT))));
        assertThat(zk.stat("/c")).isNotNull();
        assertThat(zk.stat("/a").getVersion()).isEqualTo(4);

        store.loseNextReply(ReplyLoss.RETRY);
        assertThatExceptionOfType(KeeperException.NoNodeException.class).isThrownBy(() -> store.delete("/c", 0));
        assertThat(zk.stat("/c")).isNull();

        store.loseNextReply(ReplyLoss.RETRY);
        store.create("/seq/n-", DATA, CreateMode.PERSISTENT_SEQUENTIAL);
        assertThat(zk.children("/seq")).containsExactly("n-0000000000", "n-0000000001");
    }

    @Test
    void aProtectedCreateWhoseReplyIsLostAndRetriedFindsItsOwnNodeInsteadOfCreatingASecond() throws Exception {
        store.loseNextReply(ReplyLoss.RETRY);
        Stat stat = new Stat();

        String path = store.createEphemeralSequential("/leases/worker-", DATA, stat);

        assertThat(zk.children("/leases")).hasSize(1);
        assertThat("/leases/" + zk.children("/leases").get(0)).isEqualTo(path);
        assertThat(stat.getEphemeralOwner()).isEqualTo(store.sessionId());
        assertThat(stat.getCzxid()).isEqualTo(zk.stat(path).getCzxid());
    }

    @Test
    void aProtectedCreateWhoseReplyIsLostForGoodLeavesTheNodeOwnedByTheSession() {
        store.loseNextReply(ReplyLoss.CONNECTION_LOSS);

        assertThatExceptionOfType(KeeperException.ConnectionLossException.class)
            .isThrownBy(() -> store.createEphemeralSequential("/leases/worker-", DATA, new Stat()));

        assertThat(zk.ephemeralsOf(store.sessionId())).singleElement()
            .asString()
            .matches("/leases/_c_.{36}-worker-0000000000");
    }

    @Test
    void aReplyLossWaitsForARequestThatReachesTheServer() throws Exception {
        store.disconnect();
        store.loseNextReply(ReplyLoss.CONNECTION_LOSS);
        assertThatExceptionOfType(KeeperException.ConnectionLossException.class).isThrownBy(() -> store.exists("/"));
        store.reconnect();

        assertThatExceptionOfType(KeeperException.ConnectionLossException.class).isThrownBy(() -> store.exists("/"));
        assertThat(store.exists("/")).isNotNull();
    }

    @Test
    void wipeLosesEveryNodeAndSessionAndAConnectedClientComesBackWithANeverUsedSessionId() throws Exception {
        SimulatedZnodeStore other = connected(new Random(2));
        store.create("/persistent/a", DATA, CreateMode.PERSISTENT);
        store.create("/ephemeral", DATA, CreateMode.EPHEMERAL);
        List<Long> before = zk.sessionIds();

        zk.wipe();

        assertThat(zk.children("/")).containsExactly("zookeeper");
        assertThat(zk.sessionIds()).isEmpty();
        assertThat(zk.lastZxid()).isZero();
        assertThatExceptionOfType(KeeperException.SessionExpiredException.class)
            .isThrownBy(() -> store.exists("/persistent"));
        store.onTime();
        other.onTime();
        assertThat(store.isConnected()).isTrue();
        assertThat(store.exists("/persistent")).isNull();
        assertThat(zk.sessionIds()).hasSize(2).doesNotContainAnyElementsOf(before);
        assertThat(events).containsSubsequence(ConnectionEvent.LOST, ConnectionEvent.RECONNECTED);
    }

    @Test
    void staleReadsLagBehindOtherClientsWritesButAlwaysShowTheClientsOwn() throws Exception {
        SimulatedZnodeStore writer = connected(new Random(2));
        writer.create("/a", DATA, CreateMode.PERSISTENT);
        store.staleReads(true);

        writer.setData("/a", "newer".getBytes(UTF_8), 0);
        writer.create("/b", DATA, CreateMode.PERSISTENT);
        assertThat(store.exists("/b")).isNull();
        assertThat(store.getData("/a", new Stat())).isEqualTo(DATA);
        assertThat(store.children("/")).containsExactly("a", "zookeeper");
        assertThatExceptionOfType(KeeperException.BadVersionException.class)
            .isThrownBy(() -> store.multi(List.of(new ZnodeOp.Check("/a", 0))));

        store.create("/c", DATA, CreateMode.PERSISTENT);
        writer.create("/d", DATA, CreateMode.PERSISTENT);
        assertThat(store.children("/")).containsExactly("a", "b", "c", "zookeeper");

        store.staleReads(false);
        assertThat(store.children("/")).containsExactly("a", "b", "c", "d", "zookeeper");
    }

    @Test
    void closingTheClientEndsItsSessionAndDeletesItsEphemeralNodesAtOnce() throws Exception {
        store.create("/mine", DATA, CreateMode.EPHEMERAL);
        long session = store.sessionId();

        store.close();

        assertThat(zk.isSessionAlive(session)).isFalse();
        assertThat(zk.stat("/mine")).isNull();
        assertThat(store.sessionId()).isZero();
        assertThat(store.isConnected()).isFalse();
    }

    @Test
    void everyWriteConsumesAZxidFailedOnesTooAndAMultiOnlyOne() throws Exception {
        long start = zk.lastZxid();
        store.create("/a", DATA, CreateMode.PERSISTENT);
        assertThatExceptionOfType(KeeperException.BadVersionException.class)
            .isThrownBy(() -> store.setData("/a", DATA, 9));
        store.multi(
                List.of(new ZnodeOp.SetData("/a", DATA, 0), new ZnodeOp.Create("/a/b", DATA, CreateMode.PERSISTENT)));

        assertThat(zk.lastZxid()).isEqualTo(start + 3);
        assertThat(zk.stat("/a/b").getCzxid()).isEqualTo(zk.stat("/a").getMzxid()).isEqualTo(start + 3);
    }

    @Test
    void theSameSeedGivesTheSameProtectedNamesAndTimeOnlyRunsForward() throws Exception {
        String first = store.createEphemeralSequential("/p/n-", DATA, new Stat());
        SimulatedZooKeeper again = new SimulatedZooKeeper(2000, 0);
        SimulatedZnodeStore replay = new SimulatedZnodeStore(again, 6000, new Random(1));
        replay.connect();

        assertThat(replay.createEphemeralSequential("/p/n-", DATA, new Stat())).isEqualTo(first);
        assertThat(replay.sessionId()).isEqualTo(store.sessionId());
        zk.advanceTo(10);
        assertThatIllegalArgumentException().isThrownBy(() -> zk.advanceTo(9));
    }

}
