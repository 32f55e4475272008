package dev.idgen.server.support;

import dev.idgen.core.lease.LeaseSnapshot;
import dev.idgen.core.lease.LeaseState;
import dev.idgen.core.lease.ManagedWorkerLease;
import dev.idgen.core.lease.WorkerHolder;
import dev.idgen.core.lease.LeaseWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A lease the test turns on and off: {@link #lose()} publishes {@link LeaseWindow#none()}
 * and state {@link LeaseState#LOST}, {@link #regain()} the unbounded window and
 * {@link LeaseState#ACTIVE} again.
 */
public final class SwitchableLease implements ManagedWorkerLease {

    public static final String NODE_NAME = "test-node-1";

    private final int workerId;

    private final Instant since = Instant.parse("2024-10-27T11:58:02.517Z");

    private final List<Consumer<LeaseSnapshot>> listeners = new CopyOnWriteArrayList<>();

    private volatile LeaseWindow window;

    private volatile LeaseState state = LeaseState.ACTIVE;

    public SwitchableLease(int workerId) {
        this.workerId = workerId;
        this.window = LeaseWindow.unbounded(workerId);
    }

    @Override
    public LeaseWindow window() {
        return window;
    }

    public void lose() {
        window = LeaseWindow.none();
        change(LeaseState.LOST);
    }

    public void regain() {
        window = LeaseWindow.unbounded(workerId);
        change(LeaseState.ACTIVE);
    }

    private void change(LeaseState next) {
        state = next;
        LeaseSnapshot snapshot = snapshot();
        listeners.forEach(listener -> listener.accept(snapshot));
    }

    @Override
    public void start() {
    }

    @Override
    public LeaseSnapshot awaitActive(Duration timeout) {
        return snapshot();
    }

    @Override
    public LeaseSnapshot snapshot() {
        boolean active = state == LeaseState.ACTIVE;
        return new LeaseSnapshot(state, "static", active ? workerId : -1, NODE_NAME,
                active ? Duration.ofDays(365) : Duration.ZERO, null, Duration.ZERO, 0, null, 0);
    }

    @Override
    public void addStateListener(Consumer<LeaseSnapshot> listener) {
        listeners.add(listener);
    }

    @Override
    public Optional<WorkerHolder> holderOf(int id) {
        return id == workerId
                ? Optional.of(new WorkerHolder(id, NODE_NAME, "127.0.0.1", 8080, since, state == LeaseState.ACTIVE))
                : Optional.empty();
    }

    @Override
    public void close() {
        window = LeaseWindow.none();
        change(LeaseState.CLOSED);
    }

}
