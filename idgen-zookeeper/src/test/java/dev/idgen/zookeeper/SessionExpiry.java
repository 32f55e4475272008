package dev.idgen.zookeeper;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Ends a real ZooKeeper session on the server, for the lease tests and the store contract
 * tests.
 */
public final class SessionExpiry {

    private SessionExpiry() {
    }

    /**
     * Expires {@code client}'s session on the server, for real: a second handle attaches
     * to the same session (which disconnects the first) and closes it, so the server ends
     * the session and deletes its ephemeral nodes. Curator's KillSession only fakes the
     * expiry on the client side. Retried if the original handle won the session back
     * before the close went through. Returns once the client is connected on a new
     * session.
     */
    public static void expire(CuratorFramework client, String connectString, int sessionTimeoutMillis)
            throws Exception {
        ZooKeeper original = client.getZookeeperClient().getZooKeeper();
        long sessionId = original.getSessionId();
        byte[] password = original.getSessionPasswd();
        for (int attempt = 0; attempt < 5; attempt++) {
            CountDownLatch connected = new CountDownLatch(1);
            ZooKeeper hijacker = new ZooKeeper(connectString, sessionTimeoutMillis, event -> {
                if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                    connected.countDown();
                }
            }, sessionId, password);
            try {
                connected.await(5, TimeUnit.SECONDS);
            }
            finally {
                hijacker.close();
            }
            try {
                await().atMost(Duration.ofSeconds(5))
                    .until(() -> client.getZookeeperClient().isConnected()
                            && client.getZookeeperClient().getZooKeeper().getSessionId() != sessionId);
                return;
            }
            catch (ConditionTimeoutException ex) {
                // the original handle reattached first; try again
            }
        }
        throw new AssertionError("could not expire session 0x" + Long.toHexString(sessionId));
    }

}
