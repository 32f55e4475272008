package dev.idgen.zookeeper;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;

/**
 * A real {@link ZnodeStore} that lets another party act just before this one's first
 * create of a given path: a race between reading which worker ids are free and claiming
 * one, lost on purpose and every time, against the real ZooKeeper underneath.
 */
final class RacingZnodeStore implements ZnodeStore {

    /** What the rival does; it may block until it holds what it raced for. */
    @FunctionalInterface
    interface Rival {

        void act() throws Exception;

    }

    private final ZnodeStore delegate;

    private final String contestedPath;

    private final Rival rival;

    private final AtomicBoolean raced = new AtomicBoolean();

    RacingZnodeStore(ZnodeStore delegate, String contestedPath, Rival rival) {
        this.delegate = Objects.requireNonNull(delegate);
        this.contestedPath = Objects.requireNonNull(contestedPath);
        this.rival = Objects.requireNonNull(rival);
    }

    /** Whether the rival has acted, so that the race really took place. */
    boolean raced() {
        return raced.get();
    }

    @Override
    public Stat create(String path, byte[] data, CreateMode mode) throws Exception {
        if (path.equals(contestedPath) && raced.compareAndSet(false, true)) {
            rival.act();
        }
        return delegate.create(path, data, mode);
    }

    @Override
    public long sessionId() {
        return delegate.sessionId();
    }

    @Override
    public boolean isConnected() {
        return delegate.isConnected();
    }

    @Override
    public int negotiatedSessionTimeoutMillis() {
        return delegate.negotiatedSessionTimeoutMillis();
    }

    @Override
    public String createEphemeralSequential(String prefix, byte[] data, Stat stat) throws Exception {
        return delegate.createEphemeralSequential(prefix, data, stat);
    }

    @Override
    public @Nullable Stat exists(String path) throws Exception {
        return delegate.exists(path);
    }

    @Override
    public byte @Nullable [] getData(String path, Stat stat) throws Exception {
        return delegate.getData(path, stat);
    }

    @Override
    public List<String> children(String path) throws Exception {
        return delegate.children(path);
    }

    @Override
    public Stat setData(String path, byte[] data, int version) throws Exception {
        return delegate.setData(path, data, version);
    }

    @Override
    public void delete(String path, int version) throws Exception {
        delegate.delete(path, version);
    }

    @Override
    public List<@Nullable Stat> multi(List<ZnodeOp> ops) throws Exception {
        return delegate.multi(ops);
    }

    @Override
    public void addConnectionListener(Consumer<ConnectionEvent> listener) {
        delegate.addConnectionListener(listener);
    }

    @Override
    public void removeConnectionListener(Consumer<ConnectionEvent> listener) {
        delegate.removeConnectionListener(listener);
    }

}
