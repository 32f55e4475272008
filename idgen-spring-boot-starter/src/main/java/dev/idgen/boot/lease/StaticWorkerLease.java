package dev.idgen.boot.lease;

import dev.idgen.core.lease.LeaseSnapshot;
import dev.idgen.core.lease.LeaseState;
import dev.idgen.core.lease.ManagedWorkerLease;
import dev.idgen.core.lease.LeaseWindow;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker id fixed by configuration ({@code idgen.worker.assignment=static}): always
 * {@link LeaseState#ACTIVE} with an unbounded window until closed.
 *
 * <p>
 * Nothing checks that another node does not use the same id: that is the operator's
 * responsibility, and start-up says so in the log. Use it where every node has a stable,
 * distinct ordinal (a StatefulSet index, for example) and no coordinator is wanted.
 */
public final class StaticWorkerLease implements ManagedWorkerLease {

    private static final Logger logger = LoggerFactory.getLogger(StaticWorkerLease.class);

    /** What "time left" means for a lease that never runs out. */
    private static final Duration FOREVER = Duration.ofMillis(Long.MAX_VALUE);

    private enum State {

        LATENT, STARTED, CLOSED

    }

    private final int workerId;

    private final String nodeName;

    private final LeaseWindow activeWindow;

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);

    private final List<Consumer<LeaseSnapshot>> listeners = new CopyOnWriteArrayList<>();

    private volatile LeaseWindow window;

    public StaticWorkerLease(int workerId, String nodeName) {
        this.workerId = workerId;
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.activeWindow = LeaseWindow.unbounded(workerId);
        this.window = activeWindow;
    }

    @Override
    public LeaseWindow window() {
        return window;
    }

    @Override
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("Cannot be started more than once");
        }
        logger.warn("Using static worker id " + workerId + " on node " + nodeName
                + " (idgen.worker.assignment=static). Nothing checks that no other node uses it: giving every"
                + " node a distinct idgen.worker.id is the operator's responsibility, and two nodes sharing"
                + " one WILL issue duplicate ids.");
    }

    @Override
    public LeaseSnapshot awaitActive(Duration timeout) {
        return snapshot();
    }

    @Override
    public LeaseSnapshot snapshot() {
        boolean closed = state.get() == State.CLOSED;
        return new LeaseSnapshot(closed ? LeaseState.CLOSED : LeaseState.ACTIVE, "static", workerId, nodeName,
                closed ? Duration.ZERO : FOREVER, null, Duration.ZERO, 0, null, 0);
    }

    @Override
    public void addStateListener(Consumer<LeaseSnapshot> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) != State.CLOSED) {
            // Stop issuing on close too, like a leased worker id: nothing is issued after
            // shutdown begins
            // its last phase.
            window = LeaseWindow.none();
            LeaseSnapshot closed = snapshot();
            listeners.forEach((listener) -> listener.accept(closed));
        }
    }

}
