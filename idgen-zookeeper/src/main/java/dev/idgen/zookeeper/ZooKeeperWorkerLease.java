package dev.idgen.zookeeper;

import dev.idgen.core.clock.TimeSource;
import dev.idgen.core.lease.IssuedIds;
import dev.idgen.core.lease.LeaseSnapshot;
import dev.idgen.core.lease.LeaseWindow;
import dev.idgen.core.lease.ManagedWorkerLease;
import dev.idgen.core.lease.WorkerHolder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker id leased from ZooKeeper, as a Curator-style recipe: claimed exclusively,
 * confirmed by heartbeats, fenced by the session timeout, handed over without overlap,
 * released at close.
 *
 * <p>
 * Lifecycle {@code LATENT → STARTED → CLOSED}, moved by compare-and-set: {@link #start()}
 * once, {@link #close()} any number of times. {@link #start()} never blocks on the
 * network; log lines carry the node name and worker id.
 *
 * <p>
 * The parts, and the safety argument they enforce, are described in {@code package-info}:
 * this class only wires them. {@link LeaseCoordinator} decides; {@link ClaimStore} writes
 * claims and reservations; {@link PeerClockVote} keeps the member record and compares
 * clocks; {@link Fence} owns the window and its watchdog; a {@link ReservationLog} keeps
 * this node's durable floor; every store call goes through a {@link ZnodeStore} and every
 * wait through a {@link LeaseScheduler}, so the deterministic simulator runs this very
 * class.
 */
public final class ZooKeeperWorkerLease implements ManagedWorkerLease {

    private static final Logger logger = LoggerFactory.getLogger(ZooKeeperWorkerLease.class);

    /**
     * How long close waits for a heartbeat in flight (a stuck one means the release could
     * not succeed either).
     */
    private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(2);

    private enum Lifecycle {

        LATENT, STARTED, CLOSED

    }

    private final ZnodeStore store;

    private final ZooKeeperLeaseSettings settings;

    private final LeaseScheduler scheduler;

    private final Fence fence;

    private final LeaseCoordinator coordinator;

    private final String membersPath;

    private final Consumer<ZnodeStore.ConnectionEvent> connectionListener = this::connectionChanged;

    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.LATENT);

    /**
     * A lease on {@code client}, which the caller has started and keeps: this lease never
     * closes it (it may be shared, for example with Spring Cloud Zookeeper). The durable
     * floor lives in {@link ZooKeeperLeaseSettings#stateDir()}, when one is set.
     */
    public ZooKeeperWorkerLease(CuratorFramework client, ZooKeeperLeaseSettings settings, TimeSource time) {
        this(new CuratorZnodeStore(client), settings, time, LeaseScheduler.threads(settings.nodeName()),
                settings.stateDir() == null ? ReservationLog.NONE
                        : new FileReservationLog(settings.stateDir(), settings));
    }

    /**
     * A lease on any {@link ZnodeStore}, running on {@code scheduler}: the seam the
     * deterministic simulator uses. Production code uses the Curator constructor.
     */
    public ZooKeeperWorkerLease(ZnodeStore store, ZooKeeperLeaseSettings settings, TimeSource time,
            LeaseScheduler scheduler, ReservationLog log) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(time, "time");
        this.fence = new Fence(settings, time, scheduler);
        this.coordinator = new LeaseCoordinator(store, settings, time, scheduler, fence,
                Objects.requireNonNull(log, "log"));
        this.membersPath = settings.rootPath() + "/members";
    }

    @Override
    public LeaseWindow window() {
        return fence.window();
    }

    @Override
    public void track(IssuedIds issued) {
        coordinator.track(Objects.requireNonNull(issued, "issued"));
    }

    @Override
    public void start() {
        if (!lifecycle.compareAndSet(Lifecycle.LATENT, Lifecycle.STARTED)) {
            throw new IllegalStateException("Cannot be started more than once");
        }
        store.addConnectionListener(connectionListener);
        logger.info("{} starting: claiming a worker id in {} to {} under {}", fence.who(), settings.minWorkerId(),
                settings.maxWorkerId(), settings.rootPath());
        coordinator.start();
    }

    @Override
    public LeaseSnapshot awaitActive(Duration timeout) throws InterruptedException {
        return fence.awaitActive(timeout);
    }

    @Override
    public LeaseSnapshot snapshot() {
        return fence.snapshot();
    }

    @Override
    public void addStateListener(Consumer<LeaseSnapshot> listener) {
        fence.addListener(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public Optional<WorkerHolder> holderOf(int workerId) {
        if (workerId < settings.minWorkerId() || workerId > settings.maxWorkerId()) {
            return Optional.empty();
        }
        try {
            return coordinator.claims().holderOf(workerId);
        }
        catch (Exception ex) {
            logger.debug("{} could not read the holder of worker id {}", fence.who(), workerId, ex);
            return Optional.empty();
        }
    }

    /**
     * The running nodes of this cluster (one member record per live session), ordered by
     * worker id, for listing the cluster. Empty when ZooKeeper cannot be read.
     */
    public List<WorkerHolder> members() {
        List<WorkerHolder> members = new ArrayList<>();
        try {
            for (String child : store.children(membersPath)) {
                try {
                    ZnodeRecord record = ZnodeRecord.parse(store.getData(membersPath + "/" + child, new Stat()));
                    members.add(ClaimStore.holder((int) record.number("workerId", -1), record, true));
                }
                catch (KeeperException.NoNodeException ex) {
                    // that member just left
                }
            }
        }
        catch (Exception ex) {
            logger.debug("{} could not list the members", fence.who(), ex);
            return List.of();
        }
        members.sort(Comparator.comparingInt(WorkerHolder::workerId)
            .thenComparing(WorkerHolder::nodeName, Comparator.nullsFirst(Comparator.naturalOrder())));
        return members;
    }

    /**
     * Withdraws the window, stops heartbeats, then writes the final reservation and
     * deletes the claim so the worker id is free at once. Never closes the Curator
     * client.
     */
    @Override
    public void close() {
        Lifecycle previous = lifecycle.getAndSet(Lifecycle.CLOSED);
        if (previous == Lifecycle.CLOSED) {
            return;
        }
        if (previous == Lifecycle.STARTED) {
            store.removeConnectionListener(connectionListener);
        }
        fence.closing(); // stop issuing before anything else: the final reservation may
                         // be lower
        coordinator.stop();
        try {
            scheduler.stopCoordinator(settings.sessionTimeout().compareTo(CLOSE_PATIENCE) < 0
                    ? settings.sessionTimeout() : CLOSE_PATIENCE);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        coordinator.release();
        fence.closed();
        scheduler.close();
    }

    private void connectionChanged(ZnodeStore.ConnectionEvent event) {
        switch (event) {
            case SUSPENDED -> fence.suspend("SUSPENDED");
            case LOST -> {
                fence.sessionLost();
                logger.warn("{} ZooKeeper session lost: issuing stopped, claiming again", fence.who());
                coordinator.tickSoon();
            }
            case CONNECTED, RECONNECTED -> {
                fence.reconnected();
                // Confirm the claim (same session) or claim again (new session) without
                // waiting a heartbeat.
                coordinator.tickSoon();
            }
        }
    }

    @Override
    public String toString() {
        return "ZooKeeperWorkerLease[" + settings.nodeName() + ", " + fence.window() + "]";
    }

}
