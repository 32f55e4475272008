package dev.idgen.zookeeper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;

/**
 * {@link ZnodeStore} on a Curator client, which the caller has started and keeps: never
 * closed here (it may be shared, for example with Spring Cloud Zookeeper). Curator's
 * retry policy applies, so a request whose reply was lost may be retried.
 */
public final class CuratorZnodeStore implements ZnodeStore {

    private final CuratorFramework client;

    private final Map<Consumer<ConnectionEvent>, ConnectionStateListener> listeners = new ConcurrentHashMap<>();

    public CuratorZnodeStore(CuratorFramework client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public long sessionId() {
        try {
            return client.getZookeeperClient().getZooKeeper().getSessionId();
        }
        catch (Exception ex) {
            return 0;
        }
    }

    @Override
    public boolean isConnected() {
        return client.getZookeeperClient().isConnected();
    }

    @Override
    public int negotiatedSessionTimeoutMillis() {
        try {
            return client.getZookeeperClient().getZooKeeper().getSessionTimeout();
        }
        catch (Exception ex) {
            return 0;
        }
    }

    @Override
    public Stat create(String path, byte[] data, CreateMode mode) throws Exception {
        Stat stat = new Stat();
        client.create().storingStatIn(stat).creatingParentsIfNeeded().withMode(mode).forPath(path, data);
        return stat;
    }

    @Override
    public String createEphemeralSequential(String prefix, byte[] data, Stat stat) throws Exception {
        return client.create()
            .storingStatIn(stat)
            .creatingParentsIfNeeded()
            .withProtection()
            .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
            .forPath(prefix, data);
    }

    @Override
    public @Nullable Stat exists(String path) throws Exception {
        return client.checkExists().forPath(path);
    }

    @Override
    public byte @Nullable [] getData(String path, Stat stat) throws Exception {
        return client.getData().storingStatIn(stat).forPath(path);
    }

    @Override
    public List<String> children(String path) throws Exception {
        try {
            return client.getChildren().forPath(path);
        }
        catch (KeeperException.NoNodeException ex) {
            return List.of();
        }
    }

    @Override
    public Stat setData(String path, byte[] data, int version) throws Exception {
        return client.setData().withVersion(version).forPath(path, data);
    }

    @Override
    public void delete(String path, int version) throws Exception {
        client.delete().withVersion(version).forPath(path);
    }

    @Override
    public List<@Nullable Stat> multi(List<ZnodeOp> ops) throws Exception {
        List<CuratorOp> curatorOps = new ArrayList<>(ops.size());
        for (ZnodeOp op : ops) {
            curatorOps.add(curatorOp(op));
        }
        List<@Nullable Stat> stats = new ArrayList<>(ops.size());
        for (CuratorTransactionResult result : client.transaction().forOperations(curatorOps)) {
            stats.add(result.getResultStat());
        }
        return stats;
    }

    private CuratorOp curatorOp(ZnodeOp op) throws Exception {
        if (op instanceof ZnodeOp.Check check) {
            return client.transactionOp().check().withVersion(check.version()).forPath(check.path());
        }
        if (op instanceof ZnodeOp.Create create) {
            return client.transactionOp().create().withMode(create.mode()).forPath(create.path(), create.data());
        }
        if (op instanceof ZnodeOp.SetData set) {
            return client.transactionOp().setData().withVersion(set.version()).forPath(set.path(), set.data());
        }
        ZnodeOp.Delete delete = (ZnodeOp.Delete) op;
        return client.transactionOp().delete().withVersion(delete.version()).forPath(delete.path());
    }

    @Override
    public void addConnectionListener(Consumer<ConnectionEvent> listener) {
        ConnectionStateListener adapter = (source, state) -> {
            ConnectionEvent event = event(state);
            if (event != null) {
                listener.accept(event);
            }
        };
        listeners.put(listener, adapter);
        client.getConnectionStateListenable().addListener(adapter);
    }

    @Override
    public void removeConnectionListener(Consumer<ConnectionEvent> listener) {
        ConnectionStateListener adapter = listeners.remove(listener);
        if (adapter != null) {
            client.getConnectionStateListenable().removeListener(adapter);
        }
    }

    private static ConnectionEvent event(ConnectionState state) {
        return switch (state) {
            case CONNECTED -> ConnectionEvent.CONNECTED;
            case SUSPENDED, READ_ONLY -> ConnectionEvent.SUSPENDED;
            case RECONNECTED -> ConnectionEvent.RECONNECTED;
            case LOST -> ConnectionEvent.LOST;
        };
    }

    @Override
    public String toString() {
        return "CuratorZnodeStore[" + client.getZookeeperClient().getCurrentConnectionString() + "]";
    }

}
