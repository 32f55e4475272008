package dev.idgen.zookeeper;

import dev.idgen.core.lease.LeaseSnapshot;
import dev.idgen.core.lease.LeaseState;
import dev.idgen.core.lease.ManagedWorkerLease;
import dev.idgen.core.lease.WorkerHolder;
import dev.idgen.core.lease.WorkerIdUnavailableException;
import dev.idgen.core.clock.TimeSource;
import dev.idgen.core.lease.IssuedIds;
import dev.idgen.core.lease.LeaseWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.curator.CuratorZookeeperClient;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker id leased from ZooKeeper: claimed exclusively, confirmed by heartbeats, fenced by the session
 * timeout, handed over without overlap, released at close.
 *
 * <p>Znodes under {@link ZooKeeperLeaseSettings#rootPath()}:
 * <ul>
 *   <li>{@code claims/<id>} – EPHEMERAL: who holds the worker id now. Created, never taken over: a node
 *       is ours only if our session owns it.</li>
 *   <li>{@code reservations/<id>} – PERSISTENT: the highest timestamp the holder may issue
 *       ({@code reservedUntil}) and who holds it. Only written together with a check of the writer's
 *       claim and the reservation's own version, so one write can never undo another unseen.</li>
 *   <li>{@code nodes/<nodeName>} – PERSISTENT: the worker id this node name held last, so a graceful
 *       restart gets it back.</li>
 *   <li>{@code members/…member-<seq>} – EPHEMERAL_SEQUENTIAL: node name, host, port, worker id, start
 *       time and the wall clock at the last heartbeat (for the cross-node clock check).</li>
 * </ul>
 *
 * <p>Why two holders of a worker id never issue the same id:
 * <ol>
 *   <li>the published window never reaches past the reservation ({@code notAfter <= reservedUntil + 1}),
 *       and it is only published after ZooKeeper accepted that reservation;</li>
 *   <li>a new holder reads the reservation and only issues strictly after it ({@code notBefore}), in
 *       timestamp values, so clock skew between the two nodes does not matter;</li>
 *   <li>reservation writes are conditional on the reservation's version, so the old holder cannot extend
 *       it after the new holder read it: whoever writes second has seen the first write;</li>
 *   <li>in addition, a holder that cannot reach ZooKeeper stops before its session could expire
 *       (fencing), so its worker id is not idle-but-blocked for longer than needed.</li>
 * </ol>
 *
 * <p>Threads: claims and heartbeats run on one thread named after the node ({@code idgen-lease-<node>});
 * the deadline watchdog runs on its own thread so a blocked ZooKeeper call cannot delay it; state
 * listeners are called on a third thread, in order. {@link #start()} never blocks on the network.
 */
public final class ZooKeeperWorkerLease implements ManagedWorkerLease {

    private static final Logger logger = LoggerFactory.getLogger(ZooKeeperWorkerLease.class);

    /** The reservation value of a worker id that was never reserved. */
    private static final long NO_RESERVATION = Long.MIN_VALUE;

    private static final int MAX_RESERVATION_ATTEMPTS = 10;

    private static final int MAX_HOLDERS_NAMED = 32;

    private static final long CLOSE_PATIENCE_MILLIS = 2000;

    private enum Lifecycle {
        LATENT, STARTED, CLOSED
    }

    private final CuratorFramework client;
    private final ZooKeeperLeaseSettings settings;
    private final TimeSource time;
    private final String claimsPath;
    private final String reservationsPath;
    private final String nodeRecordPath;
    private final String membersPath;
    private final long leadMillis;
    private final ScheduledExecutorService coordinator;
    private final ScheduledExecutorService watchdog;
    private final ExecutorService events;
    private final ConnectionStateListener connectionListener = this::connectionStateChanged;
    private final List<Consumer<LeaseSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.LATENT);
    private final List<IssuedIds> issuers = new CopyOnWriteArrayList<>();

    /** The generator reads this on every id: a single volatile read of an immutable window. */
    private volatile LeaseWindow window = LeaseWindow.none();

    // Written by the coordinator thread; read by close() after the coordinator stopped.
    private volatile Claim claim;
    private volatile String memberPath;
    private long memberSessionId;
    private int lastWorkerId = -1;
    private boolean everClaimed;
    private boolean shortSessionReported;

    private final Object lock = new Object();
    // Guarded by lock.
    private LeaseState state = LeaseState.ACQUIRING;
    private long epoch;
    private volatile int heldWorkerId = -1;
    private long notAfterNanos;
    private long reservedUntil = NO_RESERVATION;
    private Duration handoverWait = Duration.ZERO;
    private long reclaims;
    private Duration peerClockOffset;
    private boolean suspended;
    private boolean clockRefused;
    private String rangeFull;
    private ScheduledFuture<?> watchdogTask;

    /**
     * A lease on {@code client}, which the caller has started and keeps: this lease never closes it (it
     * may be shared, for example with Spring Cloud Zookeeper).
     */
    public ZooKeeperWorkerLease(CuratorFramework client, ZooKeeperLeaseSettings settings, TimeSource time) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.time = Objects.requireNonNull(time, "time");
        String root = settings.rootPath();
        this.claimsPath = root + "/claims";
        this.reservationsPath = root + "/reservations";
        this.nodeRecordPath = root + "/nodes/" + settings.nodeName();
        this.membersPath = root + "/members";
        this.leadMillis = settings.reservationLead().toMillis();
        String node = settings.nodeName();
        this.coordinator = Executors.newSingleThreadScheduledExecutor(daemon("idgen-lease-" + node));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(daemon("idgen-lease-watchdog-" + node));
        this.events = Executors.newSingleThreadExecutor(daemon("idgen-lease-events-" + node));
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    // ---------------------------------------------------------------- public API

    @Override
    public LeaseWindow window() {
        return window;
    }

    @Override
    public void track(IssuedIds issued) {
        issuers.add(Objects.requireNonNull(issued, "issued"));
    }

    @Override
    public void start() {
        if (!lifecycle.compareAndSet(Lifecycle.LATENT, Lifecycle.STARTED)) {
            throw new IllegalStateException("Cannot be started more than once");
        }
        client.getConnectionStateListenable().addListener(connectionListener);
        logger.info("{} starting: claiming a worker id in {} to {} under {}", who(), settings.minWorkerId(),
                settings.maxWorkerId(), settings.rootPath());
        // The first run claims; later runs confirm the claim (or claim again after a loss).
        coordinator.scheduleWithFixedDelay(this::tick, 0, settings.heartbeatInterval().toNanos(),
                TimeUnit.NANOSECONDS);
    }

    @Override
    public LeaseSnapshot awaitActive(Duration timeout) throws InterruptedException {
        long waitUntil = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (state != LeaseState.ACTIVE && state != LeaseState.CLOSED) {
                if (rangeFull != null) {
                    throw new WorkerIdUnavailableException(rangeFull);
                }
                long left = waitUntil - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return snapshotLocked();
        }
    }

    @Override
    public LeaseSnapshot snapshot() {
        synchronized (lock) {
            return snapshotLocked();
        }
    }

    @Override
    public void addStateListener(Consumer<LeaseSnapshot> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public Optional<WorkerHolder> holderOf(int workerId) {
        if (workerId < settings.minWorkerId() || workerId > settings.maxWorkerId()) {
            return Optional.empty();
        }
        try {
            byte[] data = client.getData().forPath(claimsPath + "/" + workerId);
            return Optional.of(holder(workerId, ZnodeRecord.parse(data), true));
        }
        catch (KeeperException.NoNodeException ex) {
            // Nobody holds it now: the reservation names the last holder.
        }
        catch (Exception ex) {
            logger.debug("{} could not read the holder of worker id {}", who(), workerId, ex);
            return Optional.empty();
        }
        try {
            byte[] data = client.getData().forPath(reservationsPath + "/" + workerId);
            return Optional.of(holder(workerId, ZnodeRecord.parse(data), false));
        }
        catch (KeeperException.NoNodeException ex) {
            return Optional.empty();
        }
        catch (Exception ex) {
            logger.debug("{} could not read the reservation of worker id {}", who(), workerId, ex);
            return Optional.empty();
        }
    }

    /**
     * The running nodes of this cluster (one member record per live session), ordered by worker id, for
     * listing the cluster. Empty when ZooKeeper cannot be read.
     */
    public List<WorkerHolder> members() {
        List<WorkerHolder> members = new ArrayList<>();
        try {
            for (String child : children(membersPath)) {
                try {
                    ZnodeRecord record = ZnodeRecord.parse(client.getData().forPath(membersPath + "/" + child));
                    members.add(holder((int) record.number("workerId", -1), record, true));
                }
                catch (KeeperException.NoNodeException ex) {
                    // that member just left
                }
            }
        }
        catch (Exception ex) {
            logger.debug("{} could not list the members", who(), ex);
            return List.of();
        }
        members.sort(Comparator.comparingInt(WorkerHolder::workerId).thenComparing(WorkerHolder::nodeName,
                Comparator.nullsFirst(Comparator.naturalOrder())));
        return members;
    }

    private static WorkerHolder holder(int workerId, ZnodeRecord record, boolean live) {
        long since = record.number("since", Long.MIN_VALUE);
        return new WorkerHolder(workerId, record.text("node"), record.text("host"),
                (int) record.number("port", 0), since == Long.MIN_VALUE ? null : Instant.ofEpochMilli(since), live);
    }

    /**
     * Stops heartbeats, withdraws the window, then writes the final reservation and deletes the claim so
     * the worker id is free at once. Never closes the Curator client.
     */
    @Override
    public void close() {
        Lifecycle previous = lifecycle.getAndSet(Lifecycle.CLOSED);
        if (previous == Lifecycle.CLOSED) {
            return;
        }
        if (previous == Lifecycle.STARTED) {
            client.getConnectionStateListenable().removeListener(connectionListener);
        }
        synchronized (lock) {
            // Stop issuing before anything else: the final reservation below may be lower than the current one.
            epoch++;
            withdrawLocked();
        }
        coordinator.shutdown();
        try {
            // A heartbeat in flight takes milliseconds; one that takes longer is stuck on an unreachable
            // ensemble, where the release below could not succeed either.
            long patienceMillis = Math.min(settings.sessionTimeout().toMillis(), CLOSE_PATIENCE_MILLIS);
            if (!coordinator.awaitTermination(patienceMillis, TimeUnit.MILLISECONDS)) {
                coordinator.shutdownNow();
            }
        }
        catch (InterruptedException ex) {
            coordinator.shutdownNow();
            Thread.currentThread().interrupt();
        }
        Claim held = claim;
        claim = null;
        if (held != null) {
            release(held);
        }
        deleteMemberRecord();
        synchronized (lock) {
            heldWorkerId = -1;
            if (watchdogTask != null) {
                watchdogTask.cancel(false);
            }
            setStateLocked(LeaseState.CLOSED);
        }
        watchdog.shutdownNow();
        events.shutdown();
    }

    // ---------------------------------------------------------------- claim and heartbeat (coordinator thread)

    /** One heartbeat: claims when nothing is held, otherwise confirms the claim and extends the reservation. */
    private void tick() {
        if (lifecycle.get() != Lifecycle.STARTED) {
            return;
        }
        try {
            Claim current = claim;
            if (current != null && current.epoch != currentEpoch()) {
                // Lost meanwhile (session expired): its window is already withdrawn; claim afresh.
                claim = null;
                current = null;
            }
            if (current == null) {
                claimWorkerId();
            }
            else {
                heartbeat(current);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (Exception ex) {
            if (lifecycle.get() == Lifecycle.STARTED) {
                logger.warn("{} heartbeat failed, will retry: {}", who(), ex.toString());
            }
        }
    }

    private void claimWorkerId() throws Exception {
        CuratorZookeeperClient zookeeper = client.getZookeeperClient();
        if (!zookeeper.isConnected()) {
            return; // the next heartbeat or the reconnection retries
        }
        long claimEpoch = currentEpoch();
        long sessionId = zookeeper.getZooKeeper().getSessionId();
        // Any request ZooKeeper answers proves the session alive when it was sent, so sending later than
        // this instant only makes the fencing deadline computed from it conservative.
        long sentNanos = time.nanoTime();
        ensurePersistentParents();
        Set<String> held = new HashSet<>(children(claimsPath));
        Claim fresh = null;
        for (int workerId : candidateOrder()) {
            if (!held.contains(Integer.toString(workerId))) {
                fresh = tryClaim(workerId, sessionId, claimEpoch);
                if (fresh != null) {
                    break;
                }
            }
        }
        if (fresh == null) {
            reportRangeFull();
            return;
        }
        claim = fresh; // from here close() releases it, even if the steps below fail
        boolean reserved = false;
        try {
            reserved = reserve(fresh);
        }
        finally {
            if (!reserved) {
                // Without a reservation we cannot issue on it: free the id rather than sit on it.
                claim = null;
                deleteOwnClaimNode(fresh);
            }
        }
        if (!reserved) {
            logger.warn("{} lost worker id {} while reserving it; claiming again", who(), fresh.workerId);
            return;
        }
        lastWorkerId = fresh.workerId;
        long waitMillis = fresh.notBefore == NO_RESERVATION ? 0 : Math.max(0, fresh.notBefore - wallNow() + 1);
        synchronized (lock) {
            if (fresh.epoch != epoch) {
                return; // lost while claiming; the next tick claims again
            }
            rangeFull = null;
            heldWorkerId = fresh.workerId;
            reservedUntil = fresh.reservedUntil;
            handoverWait = Duration.ofMillis(waitMillis);
            if (everClaimed) {
                reclaims++;
            }
            everClaimed = true;
        }
        // From here the claim stands: if a step below fails, the next heartbeat completes it.
        logger.info("{} claimed worker id {} (previous reservation {}, reserved until {}, session 0x{} with a "
                + "negotiated timeout of {} ms)", who(), fresh.workerId, describe(fresh.notBefore),
                Instant.ofEpochMilli(fresh.reservedUntil), Long.toHexString(fresh.sessionId),
                zookeeper.getZooKeeper().getSessionTimeout());
        if (waitMillis > 0) {
            logger.info("{} waits {} ms for its clock to pass the previous holder's reservation {} before issuing",
                    who(), waitMillis, Instant.ofEpochMilli(fresh.notBefore));
        }
        writeNodeRecord(fresh.workerId);
        MemberWrite member = writeMemberRecord(fresh);
        if (member == null) {
            lose(fresh, "its ZooKeeper session was replaced while claiming");
            return;
        }
        if (checkClock(member)) {
            publish(fresh, deadline(sentNanos));
        }
        if (waitMillis > 0) {
            scheduleQuietly(watchdog, this::promoteAfterHandover, waitMillis);
        }
    }

    /** Claim order: the id this node name held last (graceful restart, re-claim after a loss), then the lowest. */
    private List<Integer> candidateOrder() {
        int preferred = lastWorkerId >= 0 ? lastWorkerId : readNodeRecord();
        List<Integer> order = new ArrayList<>(settings.maxWorkerId() - settings.minWorkerId() + 1);
        if (preferred >= settings.minWorkerId() && preferred <= settings.maxWorkerId()) {
            order.add(preferred);
        }
        for (int id = settings.minWorkerId(); id <= settings.maxWorkerId(); id++) {
            if (id != preferred) {
                order.add(id);
            }
        }
        return order;
    }

    /** Creates the claim node, or returns {@code null} if another session holds it. */
    private Claim tryClaim(int workerId, long sessionId, long claimEpoch) throws Exception {
        String path = claimsPath + "/" + workerId;
        byte[] data = ZnodeRecord.create()
            .with("node", settings.nodeName())
            .with("host", settings.host())
            .with("port", settings.port())
            .with("since", wallNow())
            .toBytes();
        Stat stat = new Stat();
        try {
            client.create()
                .storingStatIn(stat)
                .creatingParentContainersIfNeeded()
                .withMode(CreateMode.EPHEMERAL)
                .forPath(path, data);
        }
        catch (KeeperException.NodeExistsException ex) {
            // Curator may have retried our own create after a lost reply, so the node may be ours; it is
            // only if our session owns it. Never take over another session's node.
            Stat existing = client.checkExists().forPath(path);
            if (existing == null || existing.getEphemeralOwner() != sessionId) {
                return null;
            }
            stat = existing;
        }
        long owner = stat.getEphemeralOwner();
        if (owner != client.getZookeeperClient().getZooKeeper().getSessionId()) {
            // The session changed while claiming: that node belongs to a dead session and goes with it.
            return null;
        }
        return new Claim(workerId, path, owner, stat.getCzxid(), stat.getVersion(), claimEpoch, wallNow());
    }

    /**
     * Takes over the reservation of a fresh claim: reads the previous holder's reservation (our
     * {@code notBefore}) and writes our own, conditional on both our claim and the version read.
     */
    private boolean reserve(Claim fresh) throws Exception {
        String path = reservationsPath + "/" + fresh.workerId;
        for (int attempt = 0; attempt < MAX_RESERVATION_ATTEMPTS; attempt++) {
            Stat stat = new Stat();
            ZnodeRecord previous;
            try {
                previous = ZnodeRecord.parse(client.getData().storingStatIn(stat).forPath(path));
            }
            catch (KeeperException.NoNodeException ex) {
                previous = null;
            }
            if (previous != null && fresh.token().equals(previous.text("claim"))) {
                // Our own earlier attempt succeeded though its reply was lost: adopt it.
                fresh.notBefore = previous.number("after", NO_RESERVATION);
                fresh.reservedUntil = previous.number("reservedUntil", NO_RESERVATION);
                fresh.reservationVersion = stat.getVersion();
                return true;
            }
            long notBefore = NO_RESERVATION;
            if (previous != null) {
                notBefore = previous.number("reservedUntil", NO_RESERVATION);
                if (notBefore == NO_RESERVATION) {
                    // Without the previous holder's bound there is no safe start: refuse rather than guess.
                    throw new IllegalStateException("reservation " + path + " is unreadable: " + previous);
                }
            }
            long until = Math.max(wallNow(), notBefore) + leadMillis;
            byte[] data = reservationRecord(fresh, notBefore, until);
            CuratorOp write = previous == null
                    ? client.transactionOp().create().withMode(CreateMode.PERSISTENT).forPath(path, data)
                    : client.transactionOp().setData().withVersion(stat.getVersion()).forPath(path, data);
            try {
                List<CuratorTransactionResult> results = client.transaction().forOperations(checkClaim(fresh), write);
                fresh.notBefore = notBefore;
                fresh.reservedUntil = until;
                fresh.reservationVersion = previous == null ? 0 : results.get(1).getResultStat().getVersion();
                return true;
            }
            catch (KeeperException.BadVersionException | KeeperException.NodeExistsException ex) {
                // Someone wrote in between (or our reply was lost): read again and start after what is there.
            }
            catch (KeeperException.NoNodeException ex) {
                return false; // our claim node is gone
            }
        }
        throw new IllegalStateException("reservation " + path + " keeps changing under us");
    }

    private void heartbeat(Claim current) throws Exception {
        CuratorZookeeperClient zookeeper = client.getZookeeperClient();
        if (!zookeeper.isConnected()) {
            return; // SUSPENDED: nothing advances; the watchdog ends the window at its deadline
        }
        if (zookeeper.getZooKeeper().getSessionId() != current.sessionId) {
            lose(current, "its ZooKeeper session was replaced");
            return;
        }
        long sentNanos = time.nanoTime();
        MemberWrite member = writeMemberRecord(current);
        if (member == null) {
            lose(current, "its ZooKeeper session was replaced");
            return;
        }
        if (!checkClock(member)) {
            return; // refusing: do not carry a suspect clock into the reservation either
        }
        long until = Math.max(current.reservedUntil, Math.max(wallNow(), current.notBefore) + leadMillis);
        if (!extendReservation(current, until)) {
            lose(current, "its claim or reservation changed in ZooKeeper");
            return;
        }
        publish(current, deadline(sentNanos));
    }

    /** Extends the reservation, proving in the same transaction that our claim and the version read still stand. */
    private boolean extendReservation(Claim current, long until) throws Exception {
        String path = reservationsPath + "/" + current.workerId;
        byte[] data = reservationRecord(current, current.notBefore, until);
        try {
            List<CuratorTransactionResult> results = client.transaction()
                .forOperations(checkClaim(current),
                        client.transactionOp().setData().withVersion(current.reservationVersion).forPath(path, data));
            current.reservationVersion = results.get(1).getResultStat().getVersion();
            current.reservedUntil = until;
            return true;
        }
        catch (KeeperException.BadVersionException | KeeperException.NoNodeException ex) {
            return adoptOwnWrite(current, until);
        }
    }

    /**
     * After a conditional write failed: Curator retries a write whose reply was lost, and the retry then
     * fails on the version the first attempt moved. The write was ours if the reservation carries our
     * claim token and value, and the claim node is still the one our session created.
     */
    private boolean adoptOwnWrite(Claim current, long until) throws Exception {
        Stat claimStat = client.checkExists().forPath(current.path);
        if (claimStat == null || claimStat.getEphemeralOwner() != current.sessionId
                || claimStat.getCzxid() != current.czxid) {
            return false;
        }
        Stat stat = new Stat();
        ZnodeRecord record;
        try {
            record = ZnodeRecord.parse(client.getData().storingStatIn(stat).forPath(reservationsPath + "/"
                    + current.workerId));
        }
        catch (KeeperException.NoNodeException ex) {
            return false;
        }
        if (current.token().equals(record.text("claim")) && record.number("reservedUntil", NO_RESERVATION) == until) {
            current.reservationVersion = stat.getVersion();
            current.reservedUntil = until;
            return true;
        }
        return false;
    }

    private CuratorOp checkClaim(Claim current) throws Exception {
        return client.transactionOp().check().withVersion(current.claimVersion).forPath(current.path);
    }

    private byte[] reservationRecord(Claim current, long notBefore, long until) {
        return ZnodeRecord.create()
            .with("reservedUntil", until)
            .with("reservedUntilInstant", Instant.ofEpochMilli(until))
            .with("after", notBefore == NO_RESERVATION ? null : notBefore)
            .with("node", settings.nodeName())
            .with("host", settings.host())
            .with("port", settings.port())
            .with("since", current.sinceMillis)
            .with("claim", current.token())
            .toBytes();
    }

    /** The last safe instant (monotonic) after a confirmation of a request sent at {@code sentNanos}. */
    private long deadline(long sentNanos) throws Exception {
        // ZooKeeper expires a session no sooner than its negotiated timeout after the last request it got
        // from it; ours arrived no earlier than it was sent.
        long negotiatedMillis = client.getZookeeperClient().getZooKeeper().getSessionTimeout();
        long marginMillis = settings.safetyMargin().toMillis();
        if (negotiatedMillis - marginMillis < 2 * settings.heartbeatInterval().toMillis() && !shortSessionReported) {
            shortSessionReported = true;
            logger.warn("{} ZooKeeper negotiated a session timeout of {} ms (requested {}): with the safety "
                    + "margin of {} ms fewer than two heartbeats fit, so a late heartbeat stops issuing",
                    who(), negotiatedMillis, settings.sessionTimeout().toMillis(), marginMillis);
        }
        return sentNanos + TimeUnit.MILLISECONDS.toNanos(negotiatedMillis - marginMillis);
    }

    private void lose(Claim lost, String reason) {
        synchronized (lock) {
            if (lost.epoch == epoch) {
                epoch++;
                withdrawLocked();
                heldWorkerId = -1;
                reservedUntil = NO_RESERVATION;
                setStateLocked(LeaseState.LOST);
            }
        }
        claim = null;
        logger.warn("{} lost worker id {}: {}; issuing stopped, claiming again", who(), lost.workerId, reason);
        deleteOwnClaimNode(lost);
        scheduleQuietly(coordinator, this::tick, 0);
    }

    /** Deletes a claim node if our session still owns it (it would otherwise block the id until the session ends). */
    private void deleteOwnClaimNode(Claim abandoned) {
        try {
            Stat stat = client.checkExists().forPath(abandoned.path);
            if (stat != null && stat.getEphemeralOwner() == abandoned.sessionId && stat.getCzxid() == abandoned.czxid
                    && client.getZookeeperClient().getZooKeeper().getSessionId() == abandoned.sessionId) {
                client.delete().withVersion(stat.getVersion()).forPath(abandoned.path);
            }
        }
        catch (Exception ex) {
            logger.debug("{} could not delete the abandoned claim {}", who(), abandoned.path, ex);
        }
    }

    private void reportRangeFull() throws Exception {
        List<String> holders = new ArrayList<>();
        List<String> ids = new ArrayList<>(children(claimsPath));
        ids.sort((a, b) -> Long.compare(parseOr(a), parseOr(b)));
        int named = 0;
        int inRange = 0;
        for (String id : ids) {
            long workerId = parseOr(id);
            if (workerId < settings.minWorkerId() || workerId > settings.maxWorkerId()) {
                continue;
            }
            inRange++;
            if (named < MAX_HOLDERS_NAMED) {
                String node;
                try {
                    node = ZnodeRecord.parse(client.getData().forPath(claimsPath + "/" + id)).text("node");
                }
                catch (KeeperException.NoNodeException ex) {
                    node = "(just released)";
                }
                holders.add(id + "=" + node);
                named++;
            }
        }
        String message = "No free worker id in the range " + settings.minWorkerId() + " to " + settings.maxWorkerId()
                + " under " + claimsPath + " for node '" + settings.nodeName() + "': held by " + String.join(", ", holders)
                + (inRange > named ? " and " + (inRange - named) + " more" : "")
                + ". Widen the range or stop a node; nothing is shared.";
        synchronized (lock) {
            rangeFull = message;
            lock.notifyAll();
        }
        logger.warn("{} {} Retrying every {}.", who(), message, settings.heartbeatInterval());
    }

    private static long parseOr(String text) {
        try {
            return Long.parseLong(text);
        }
        catch (NumberFormatException ex) {
            return -1;
        }
    }

    // ---------------------------------------------------------------- records

    private void ensurePersistentParents() throws Exception {
        for (String path : List.of(reservationsPath, settings.rootPath() + "/nodes")) {
            try {
                client.create().creatingParentsIfNeeded().forPath(path);
            }
            catch (KeeperException.NodeExistsException ex) {
                // already there
            }
        }
    }

    private int readNodeRecord() {
        try {
            return (int) ZnodeRecord.parse(client.getData().forPath(nodeRecordPath)).number("workerId", -1);
        }
        catch (Exception ex) {
            return -1;
        }
    }

    private void writeNodeRecord(int workerId) throws Exception {
        byte[] data = ZnodeRecord.create().with("workerId", workerId).with("host", settings.host())
            .with("port", settings.port()).toBytes();
        try {
            client.setData().forPath(nodeRecordPath, data);
        }
        catch (KeeperException.NoNodeException ex) {
            try {
                client.create().creatingParentsIfNeeded().forPath(nodeRecordPath, data);
            }
            catch (KeeperException.NodeExistsException raced) {
                client.setData().forPath(nodeRecordPath, data);
            }
        }
    }

    /** A member record write: the wall clock published, the server's stat of the write, and its round trip. */
    private record MemberWrite(long wall, Stat stat, long roundTripNanos) {
    }

    /**
     * Writes this node's member record (one per session) with the wall clock read just before. A slow
     * write publishes a stale reading (the server stamps it later), so it is repeated a few times with a
     * fresh one. Returns {@code null} if the session is no longer the claim's: a heartbeat that outlived
     * its session must not write into the new one.
     */
    private MemberWrite writeMemberRecord(Claim current) throws Exception {
        long slowNanos = settings.peerClockLimit().toNanos() / 2;
        MemberWrite write = null;
        for (int attempt = 0; attempt < 3 && (write == null || write.roundTripNanos() > slowNanos); attempt++) {
            if (client.getZookeeperClient().getZooKeeper().getSessionId() != current.sessionId) {
                return null;
            }
            long sentNanos = time.nanoTime();
            long wall = wallNow();
            Stat stat = writeMemberRecordOnce(current, wall);
            if (stat == null) {
                return null;
            }
            write = new MemberWrite(wall, stat, time.nanoTime() - sentNanos);
        }
        return write;
    }

    private Stat writeMemberRecordOnce(Claim current, long wall) throws Exception {
        byte[] data = ZnodeRecord.create()
            .with("node", settings.nodeName())
            .with("host", settings.host())
            .with("port", settings.port())
            .with("workerId", current.workerId)
            .with("since", current.sinceMillis)
            .with("wall", wall)
            .toBytes();
        String path = memberPath;
        if (path != null && memberSessionId == current.sessionId) {
            try {
                return client.setData().forPath(path, data);
            }
            catch (KeeperException.NoNodeException ex) {
                memberPath = null;
            }
        }
        Stat stat = new Stat();
        String created = client.create()
            .storingStatIn(stat)
            .creatingParentContainersIfNeeded()
            .withProtection()
            .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
            .forPath(membersPath + "/member-", data);
        if (stat.getEphemeralOwner() != current.sessionId) {
            // Created in a newer session than the claim's: a record nobody would update; remove it.
            client.delete().forPath(created);
            return null;
        }
        memberPath = created;
        memberSessionId = current.sessionId;
        return stat;
    }

    private void deleteMemberRecord() {
        String path = memberPath;
        memberPath = null;
        if (path == null) {
            return;
        }
        try {
            if (!client.getZookeeperClient().isConnected()) {
                return; // it goes with the session
            }
            client.delete().forPath(path);
        }
        catch (KeeperException.NoNodeException ex) {
            // gone with its session
        }
        catch (Exception ex) {
            logger.debug("{} could not delete member record {}", who(), path, ex);
        }
    }

    /**
     * How this node's clock compares with its live peers', each clock measured against the ZooKeeper
     * server's modification time of that node's own last write ({@code offset = published - mtime}), so
     * the server's clock cancels out.
     *
     * @param offset this node's offset minus the median offset of all live nodes, itself included
     * @param peers how many live peers were measured
     * @param disagreeing how many of them differ from this node by more than the limit
     */
    private record PeerClock(Duration offset, int peers, int disagreeing) {

        /**
         * Whether a strict majority of all live nodes, this one included, disagrees with this clock. Only
         * then is this node the odd one out. A median of peers alone would condemn the healthy nodes too:
         * with three nodes it is the mean of the other two, so one bad clock would push both good ones
         * over the limit. With two nodes neither can tell which clock is wrong, so neither refuses; the
         * NTP check is what catches that case.
         */
        boolean outvoted() {
            return 2 * disagreeing > peers + 1;
        }
    }

    /** This node against its live peers, or {@code null} when no peer is known. */
    private PeerClock peerClock(long ownOffset) throws Exception {
        List<Long> offsets = new ArrayList<>();
        String own = memberPath;
        for (String child : children(membersPath)) {
            String path = membersPath + "/" + child;
            if (path.equals(own)) {
                continue;
            }
            Stat stat = new Stat();
            try {
                long wall = ZnodeRecord.parse(client.getData().storingStatIn(stat).forPath(path))
                    .number("wall", Long.MIN_VALUE);
                if (wall != Long.MIN_VALUE) {
                    offsets.add(wall - stat.getMtime());
                }
            }
            catch (KeeperException.NoNodeException ex) {
                // that peer just left
            }
        }
        if (offsets.isEmpty()) {
            return null;
        }
        long limitMillis = settings.peerClockLimit().toMillis();
        int disagreeing = (int) offsets.stream().filter(peer -> Math.abs(ownOffset - peer) > limitMillis).count();
        int peers = offsets.size();
        offsets.add(ownOffset);
        Collections.sort(offsets);
        int middle = offsets.size() / 2;
        long median = offsets.size() % 2 == 1 ? offsets.get(middle)
                : Math.floorDiv(offsets.get(middle - 1) + offsets.get(middle), 2);
        return new PeerClock(Duration.ofMillis(ownOffset - median), peers, disagreeing);
    }

    private List<String> children(String path) throws Exception {
        try {
            return client.getChildren().forPath(path);
        }
        catch (KeeperException.NoNodeException ex) {
            return List.of();
        }
    }

    // ---------------------------------------------------------------- release

    private void release(Claim held) {
        CuratorZookeeperClient zookeeper = client.getZookeeperClient();
        try {
            if (!zookeeper.isConnected() || zookeeper.getZooKeeper().getSessionId() != held.sessionId) {
                logger.warn("{} could not release worker id {} (ZooKeeper unreachable or session gone); its claim "
                        + "ends with the session and the next holder starts after reservation {}", who(),
                        held.workerId, Instant.ofEpochMilli(held.reservedUntil));
                return;
            }
            if (held.reservedUntil == NO_RESERVATION) {
                // Closed while claiming: nothing was reserved, so nothing was issued; just free the claim.
                client.delete().withVersion(held.claimVersion).forPath(held.path);
                return;
            }
            long finalUntil = finalReservation(held);
            String reservation = reservationsPath + "/" + held.workerId;
            client.transaction()
                .forOperations(checkClaim(held),
                        client.transactionOp().setData().withVersion(held.reservationVersion)
                            .forPath(reservation, reservationRecord(held, held.notBefore, finalUntil)),
                        client.transactionOp().delete().withVersion(held.claimVersion).forPath(held.path));
            logger.info("{} released worker id {} (final reservation {})", who(), held.workerId,
                    Instant.ofEpochMilli(finalUntil));
        }
        catch (KeeperException.BadVersionException | KeeperException.NoNodeException ex) {
            logger.warn("{} did not release worker id {}: it had already been lost", who(), held.workerId);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (Exception ex) {
            logger.warn("{} could not release worker id {}; its claim ends with the session: {}", who(),
                    held.workerId, ex.toString());
        }
    }

    /**
     * The reservation left behind at release: lowered to the highest timestamp the tracked generators
     * really issued, so the next holder need not wait out the lead. Their own record, not a clock read:
     * a clock stepped back since the last heartbeat would put "now" below ids already issued. The window
     * is already withdrawn, and settling makes calls in flight start over under it, so nothing is issued
     * above the value read here. With no generator tracked, nothing is known, so nothing is lowered; never
     * below what the previous holder reserved. When nothing was ever issued or reserved before, the epoch
     * of Unix time stands for "nothing": a reservation is always a number.
     */
    private long finalReservation(Claim held) {
        if (issuers.isEmpty()) {
            return held.reservedUntil;
        }
        long highestIssued = IssuedIds.NOTHING;
        for (IssuedIds issued : issuers) {
            highestIssued = Math.max(highestIssued, issued.settle());
        }
        return Math.max(0, Math.max(held.notBefore, Math.min(held.reservedUntil, highestIssued)));
    }

    // ---------------------------------------------------------------- connection and clock events

    private void connectionStateChanged(CuratorFramework source, ConnectionState newState) {
        switch (newState) {
            case SUSPENDED, READ_ONLY -> {
                synchronized (lock) {
                    suspended = true;
                    if (heldWorkerId >= 0 && (state == LeaseState.ACTIVE || state == LeaseState.ACQUIRING)) {
                        setStateLocked(LeaseState.SUSPENDED);
                    }
                    logger.warn("{} ZooKeeper connection {}: the window stops advancing and ends in {} ms", who(),
                            newState, window.holdsWorker() ? (notAfterNanos - time.nanoTime()) / 1_000_000 : 0);
                }
            }
            case LOST -> {
                synchronized (lock) {
                    suspended = true;
                    // The session is gone, so the claim may already belong to someone else: stop now.
                    epoch++;
                    withdrawLocked();
                    heldWorkerId = -1;
                    reservedUntil = NO_RESERVATION;
                    setStateLocked(LeaseState.LOST);
                }
                logger.warn("{} ZooKeeper session lost: issuing stopped, claiming again", who());
                scheduleQuietly(coordinator, this::tick, 0);
            }
            case CONNECTED, RECONNECTED -> {
                synchronized (lock) {
                    suspended = false;
                }
                // Confirm the claim (same session) or claim again (new session) without waiting a heartbeat.
                scheduleQuietly(coordinator, this::tick, 0);
            }
            default -> {
            }
        }
    }

    /**
     * Measures this node's clock against its peers' from the member record just written and decides whether issuing may go on. A write that took long says little
     * (the server stamped it somewhere within the round trip), so it keeps the previous verdict.
     */
    private boolean checkClock(MemberWrite member) throws Exception {
        if (member.roundTripNanos() > settings.peerClockLimit().toNanos() / 2) {
            synchronized (lock) {
                return !clockRefused;
            }
        }
        return acceptClock(peerClock(member.wall() - member.stat().getMtime()));
    }

    /**
     * Records the peer clock offset; refuses (withdraws the window) while a majority of the live nodes
     * puts this clock beyond the limit.
     */
    private boolean acceptClock(PeerClock peer) {
        synchronized (lock) {
            Duration skew = peer == null ? null : peer.offset();
            peerClockOffset = skew;
            Duration size = skew == null ? Duration.ZERO : skew.abs();
            if (peer != null && peer.outvoted()) {
                if (!clockRefused) {
                    logger.error("{} clock differs from the median of the live nodes' by {} ms, and {} of its {} "
                            + "peers are more than the limit of {} ms away: refusing to issue until it is back within",
                            who(), skew.toMillis(), peer.disagreeing(), peer.peers(), settings.peerClockLimit().toMillis());
                }
                clockRefused = true;
                withdrawLocked();
                if (state == LeaseState.ACTIVE || state == LeaseState.ACQUIRING) {
                    setStateLocked(LeaseState.SUSPENDED);
                }
                return false;
            }
            if (clockRefused) {
                logger.info("{} clock is back within {} ms of most of its peers' ({})", who(),
                        settings.peerClockLimit().toMillis(), skew == null ? "no peers" : skew.toMillis() + " ms");
                clockRefused = false;
            }
            else if (size.compareTo(settings.peerClockWarn()) > 0) {
                logger.warn("{} clock differs from the median of the live nodes' by {} ms (warn above {} ms; refuse "
                        + "when most nodes are more than {} ms away)", who(), skew.toMillis(),
                        settings.peerClockWarn().toMillis(), settings.peerClockLimit().toMillis());
            }
            return true;
        }
    }

    // ---------------------------------------------------------------- window publication

    /** Publishes the window a confirmation earned, unless the claim was lost or issuing is suspended. */
    private void publish(Claim confirmed, long deadlineNanos) {
        synchronized (lock) {
            if (lifecycle.get() != Lifecycle.STARTED || confirmed.epoch != epoch || suspended || clockRefused) {
                return;
            }
            long nowNanos = time.nanoTime();
            long nowWall = wallNow();
            long fenceLeftNanos = deadlineNanos - nowNanos;
            if (fenceLeftNanos <= 0) {
                withdrawLocked();
                logger.warn("{} the confirmation came too late to issue on", who());
                return;
            }
            long reservedLeftMillis = Math.max(-1L, Math.min(confirmed.reservedUntil + 1 - nowWall, 86_400_000L));
            long notAfter = Math.min(nowWall + fenceLeftNanos / 1_000_000, confirmed.reservedUntil + 1);
            notAfterNanos = nowNanos + Math.min(fenceLeftNanos, reservedLeftMillis * 1_000_000);
            window = new LeaseWindow(confirmed.workerId, confirmed.notBefore, notAfter);
            heldWorkerId = confirmed.workerId;
            reservedUntil = confirmed.reservedUntil;
            scheduleWatchdogLocked(notAfterNanos - nowNanos);
            setStateLocked(nowWall > confirmed.notBefore ? LeaseState.ACTIVE : LeaseState.ACQUIRING);
        }
    }

    private void promoteAfterHandover() {
        synchronized (lock) {
            if (state == LeaseState.ACQUIRING && window.holdsWorker() && !suspended && !clockRefused
                    && wallNow() > window.notBeforeMillis()) {
                logger.info("{} clock passed the previous holder's reservation after {} ms: issuing", who(),
                        handoverWait.toMillis());
                setStateLocked(LeaseState.ACTIVE);
            }
        }
    }

    private void scheduleWatchdogLocked(long delayNanos) {
        if (watchdogTask != null) {
            watchdogTask.cancel(false);
        }
        try {
            watchdogTask = watchdog.schedule(this::expireIfDue, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ex) {
            // closing
        }
    }

    /** Ends the window at its deadline on the monotonic clock, so a wall-clock jump cannot extend issuing. */
    private void expireIfDue() {
        synchronized (lock) {
            if (!window.holdsWorker()) {
                return;
            }
            long left = notAfterNanos - time.nanoTime();
            if (left > 0) {
                scheduleWatchdogLocked(left);
                return;
            }
            withdrawLocked();
            if (state == LeaseState.ACTIVE || state == LeaseState.ACQUIRING) {
                setStateLocked(LeaseState.SUSPENDED);
            }
            logger.warn("{} the lease ran out without a confirmation from ZooKeeper: issuing stopped", who());
        }
    }

    private void withdrawLocked() {
        window = LeaseWindow.none();
        notAfterNanos = 0;
    }

    // ---------------------------------------------------------------- state

    private void setStateLocked(LeaseState next) {
        if (state == next) {
            return;
        }
        LeaseState previous = state;
        state = next;
        lock.notifyAll();
        LeaseSnapshot snapshot = snapshotLocked();
        logger.info("{} {} -> {}", who(), previous, next);
        try {
            events.execute(() -> {
                for (Consumer<LeaseSnapshot> listener : listeners) {
                    try {
                        listener.accept(snapshot);
                    }
                    catch (RuntimeException ex) {
                        logger.warn("{} state listener failed", who(), ex);
                    }
                }
            });
        }
        catch (RejectedExecutionException ex) {
            // closed
        }
    }

    private LeaseSnapshot snapshotLocked() {
        Duration timeLeft = window.holdsWorker()
                ? Duration.ofNanos(Math.max(0, notAfterNanos - time.nanoTime())) : Duration.ZERO;
        Instant reserved = reservedUntil == NO_RESERVATION ? null : Instant.ofEpochMilli(reservedUntil);
        return new LeaseSnapshot(state, settings.assignment(), heldWorkerId, settings.nodeName(), timeLeft, reserved,
                handoverWait, reclaims, peerClockOffset);
    }

    private long currentEpoch() {
        synchronized (lock) {
            return epoch;
        }
    }

    private long wallNow() {
        return time.currentTimeMillis();
    }

    private void scheduleQuietly(ScheduledExecutorService executor, Runnable task, long delayMillis) {
        try {
            executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        }
        catch (RejectedExecutionException ex) {
            // closing
        }
    }

    private String who() {
        return "idgen lease [node=" + settings.nodeName() + ", workerId=" + heldWorkerId + "]";
    }

    private static String describe(long reservation) {
        return reservation == NO_RESERVATION ? "none" : Instant.ofEpochMilli(reservation).toString();
    }

    @Override
    public String toString() {
        return "ZooKeeperWorkerLease[" + settings.nodeName() + ", " + window + "]";
    }

    /** One claim of a worker id by one session. Mutable fields are touched by the coordinator thread only. */
    private static final class Claim {

        final int workerId;
        final String path;
        final long sessionId;
        final long czxid;
        final int claimVersion;
        final long epoch;
        final long sinceMillis;
        long notBefore = NO_RESERVATION;
        long reservedUntil = NO_RESERVATION;
        int reservationVersion;

        Claim(int workerId, String path, long sessionId, long czxid, int claimVersion, long epoch, long sinceMillis) {
            this.workerId = workerId;
            this.path = path;
            this.sessionId = sessionId;
            this.czxid = czxid;
            this.claimVersion = claimVersion;
            this.epoch = epoch;
            this.sinceMillis = sinceMillis;
        }

        /** Identifies this claim in the reservation it writes, to recognise our own writes after a retry. */
        String token() {
            return Long.toHexString(sessionId) + ":" + Long.toHexString(czxid);
        }
    }
}
