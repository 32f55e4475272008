package dev.idgen.zookeeper.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idgen.zookeeper.CuratorZnodeStore;
import dev.idgen.zookeeper.SessionExpiry;
import dev.idgen.zookeeper.ZnodeStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.ZooKeeper;

/**
 * The contract against a real ZooKeeper server, through Curator and the production
 * {@link CuratorZnodeStore}.
 */
class CuratorZnodeStoreContractTests extends ZnodeStoreContractTests {

    private TestingServer server;

    private final Map<ZnodeStore, CuratorFramework> clients = new IdentityHashMap<>();

    private final List<CuratorFramework> opened = new ArrayList<>();

    @Override
    protected void startEnsemble() throws Exception {
        // curator-test lowers minSessionTimeout to one tick; put back ZooKeeper's default
        // of two
        Map<String, Object> defaults = Map.of("minSessionTimeout", String.valueOf(2 * TICK_MILLIS));
        server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, TICK_MILLIS, -1, defaults), true);
    }

    @Override
    protected void stopEnsemble() throws Exception {
        try {
            for (int i = opened.size() - 1; i >= 0; i--) {
                opened.get(i).close();
            }
        }
        finally {
            server.close();
        }
    }

    @Override
    protected ZnodeStore newStore(int requestedSessionTimeoutMillis) throws Exception {
        CuratorFramework client = CuratorFrameworkFactory.builder()
            .connectString(server.getConnectString())
            .sessionTimeoutMs(requestedSessionTimeoutMillis)
            .connectionTimeoutMs(2000)
            .retryPolicy(new ExponentialBackoffRetry(100, 3))
            .build();
        opened.add(client);
        client.start();
        assertThat(client.blockUntilConnected(20, TimeUnit.SECONDS)).as("connected").isTrue();
        ZnodeStore store = new CuratorZnodeStore(client);
        clients.put(store, client);
        return store;
    }

    /** Expires the session on the server, for real ({@link SessionExpiry}). */
    @Override
    protected void expireSession(ZnodeStore store) throws Exception {
        SessionExpiry.expire(clients.get(store), server.getConnectString(), 4 * TICK_MILLIS);
    }

    @Override
    protected long serverTimeMillis() {
        return System.currentTimeMillis();
    }

    @Override
    protected void letServerTimePass() {
        long start = System.currentTimeMillis();
        await().atMost(BOUND).pollInterval(Duration.ofMillis(1)).until(() -> System.currentTimeMillis() > start);
    }

}
