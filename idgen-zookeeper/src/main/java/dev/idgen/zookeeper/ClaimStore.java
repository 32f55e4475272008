package dev.idgen.zookeeper;

import dev.idgen.core.clock.TimeSource;
import dev.idgen.core.lease.WorkerHolder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease's znodes under {@link ZooKeeperLeaseSettings#rootPath()}, and every write to
 * them:
 * <ul>
 * <li>{@code claims/<id>} – EPHEMERAL: who holds the worker id now. Created, never taken
 * over: a node is ours only if our session owns it.</li>
 * <li>{@code reservations/<id>} – PERSISTENT: the highest timestamp the holder may issue
 * ({@code reservedUntil}) and who holds it. Only written in a multi with a check of the
 * writer's claim node and a condition on the reservation's own version.</li>
 * <li>{@code nodes/<nodeName>} – PERSISTENT: the worker id this node name held last, so a
 * graceful restart gets it back.</li>
 * </ul>
 * Used on the coordinator lane only (and for read-only look-ups).
 */
final class ClaimStore {

    private static final Logger logger = LoggerFactory.getLogger(ClaimStore.class);

    private static final int MAX_RESERVATION_ATTEMPTS = 10;

    private static final int MAX_HOLDERS_NAMED = 32;

    private final ZnodeStore store;

    private final ZooKeeperLeaseSettings settings;

    private final TimeSource time;

    private final String claimsPath;

    private final String reservationsPath;

    private final String nodeRecordPath;

    private final Runnable storeLossDetected;

    ClaimStore(ZnodeStore store, ZooKeeperLeaseSettings settings, TimeSource time, Runnable storeLossDetected) {
        this.store = store;
        this.storeLossDetected = storeLossDetected;
        this.settings = settings;
        this.time = time;
        this.claimsPath = settings.rootPath() + "/claims";
        this.reservationsPath = settings.rootPath() + "/reservations";
        this.nodeRecordPath = settings.rootPath() + "/nodes/" + settings.nodeName();
    }

    /** The worker ids held by some session now. */
    List<String> heldIds() throws Exception {
        return store.children(claimsPath);
    }

    /**
     * Creates the claim node, or returns {@code null} if another session holds it (or our
     * session changed meanwhile: then the node belongs to a dead session and goes with
     * it).
     */
    @Nullable Claim tryClaim(int workerId, long sessionId, long epoch) throws Exception {
        String path = claimsPath + "/" + workerId;
        byte[] data = ZnodeRecord.create()
            .with("node", settings.nodeName())
            .with("host", settings.host())
            .with("port", settings.port())
            .with("since", time.currentTimeMillis())
            .toBytes();
        Stat stat;
        try {
            stat = store.create(path, data, CreateMode.EPHEMERAL);
        }
        catch (KeeperException.NodeExistsException ex) {
            // A retry of our own create after a lost reply finds the node; it is ours
            // only if our session
            // owns it. Never take over another session's node.
            Stat existing = store.exists(path);
            if (existing == null || existing.getEphemeralOwner() != sessionId) {
                return null;
            }
            stat = existing;
        }
        long owner = stat.getEphemeralOwner();
        if (owner != store.sessionId()) {
            return null;
        }
        return new Claim(workerId, path, owner, stat.getCzxid(), stat.getVersion(), epoch, time.currentTimeMillis());
    }

    /**
     * Takes over the reservation of a fresh claim: reads the previous holder's
     * reservation (the claim's {@code notBefore}, raised to {@code localFloor}, this
     * node's own durable record) and writes the claim's own, conditional on both the
     * claim node and the version read. Returns {@code false} when the claim node is gone.
     */
    boolean reserve(Claim fresh, long localFloor, long leadMillis) throws Exception {
        // A store that has just been created (a new cluster, or one that lost its data)
        // knows nothing of
        // ids issued before it: start after any timestamp a node with a clock within the
        // peer limit can
        // have issued before the store existed.
        long youngStoreFloor = storeCreatedMillis() + 2 * settings.peerClockLimit().toMillis();
        String path = reservationPath(fresh.workerId);
        for (int attempt = 0; attempt < MAX_RESERVATION_ATTEMPTS; attempt++) {
            Stat stat = new Stat();
            ZnodeRecord previous;
            try {
                previous = ZnodeRecord.parse(store.getData(path, stat));
            }
            catch (KeeperException.NoNodeException ex) {
                previous = null;
            }
            if (previous != null && fresh.token().equals(previous.text("claim"))) {
                // Our own earlier attempt succeeded though its reply was lost: adopt it.
                fresh.notBefore = previous.number("after", Claim.NO_RESERVATION);
                fresh.reservedUntil = previous.number("reservedUntil", Claim.NO_RESERVATION);
                fresh.reservationVersion = stat.getVersion();
                return true;
            }
            long notBefore = Math.max(localFloor, youngStoreFloor);
            long storeFloor = previous == null ? Claim.NO_RESERVATION
                    : previous.number("reservedUntil", Claim.NO_RESERVATION);
            if (localFloor != Claim.NO_RESERVATION && storeFloor < localFloor) {
                // This node reserved more than the store remembers: the ensemble lost
                // data, or was replaced.
                logger
                    .error("idgen lease [node={}, workerId={}] ZooKeeper's reservation for worker id {} is {} but this "
                            + "node reserved up to {} before: the ensemble lost its data or was replaced. Issuing only "
                            + "after both this node's own record and the new store's quarantine.", settings.nodeName(),
                            fresh.workerId, fresh.workerId,
                            storeFloor == Claim.NO_RESERVATION ? "missing" : Instant.ofEpochMilli(storeFloor),
                            Instant.ofEpochMilli(localFloor));
                storeLossDetected.run();
            }
            if (previous != null) {
                long previousUntil = previous.number("reservedUntil", Claim.NO_RESERVATION);
                if (previousUntil == Claim.NO_RESERVATION) {
                    // Without the previous holder's bound there is no safe start: refuse
                    // rather than guess.
                    throw new IllegalStateException("reservation " + path + " is unreadable: " + previous);
                }
                notBefore = Math.max(notBefore, previousUntil);
            }
            long until = Math.max(time.currentTimeMillis(), notBefore) + leadMillis;
            byte[] data = reservationRecord(fresh, notBefore, until);
            ZnodeOp write = previous == null ? new ZnodeOp.Create(path, data, CreateMode.PERSISTENT)
                    : new ZnodeOp.SetData(path, data, stat.getVersion());
            try {
                List<Stat> results = store.multi(List.of(checkClaim(fresh), write));
                fresh.notBefore = notBefore;
                fresh.reservedUntil = until;
                fresh.reservationVersion = previous == null ? 0 : results.get(1).getVersion();
                return true;
            }
            catch (KeeperException.BadVersionException | KeeperException.NodeExistsException ex) {
                // Someone wrote in between (or our reply was lost): read again and start
                // after what is there.
            }
            catch (KeeperException.NoNodeException ex) {
                if (store.exists(fresh.path) == null) {
                    return false; // our claim node is gone
                }
                // the reservations parent is missing (a wiped store): created with the
                // next attempt
                ensureParents();
            }
        }
        throw new IllegalStateException("reservation " + path + " keeps changing under us");
    }

    /**
     * The reservation of {@code workerId} as the store has it now, or
     * {@link Claim#NO_RESERVATION}.
     */
    long reservedUntil(int workerId) throws Exception {
        try {
            return ZnodeRecord.parse(store.getData(reservationPath(workerId), new Stat()))
                .number("reservedUntil", Claim.NO_RESERVATION);
        }
        catch (KeeperException.NoNodeException ex) {
            return Claim.NO_RESERVATION;
        }
    }

    /**
     * Extends the reservation, proving in the same transaction that our claim and the
     * version read still stand.
     */
    boolean extend(Claim current, long until) throws Exception {
        byte[] data = reservationRecord(current, current.notBefore, until);
        try {
            List<Stat> results = store.multi(List.of(checkClaim(current),
                    new ZnodeOp.SetData(reservationPath(current.workerId), data, current.reservationVersion)));
            current.reservationVersion = results.get(1).getVersion();
            current.reservedUntil = until;
            return true;
        }
        catch (KeeperException.BadVersionException | KeeperException.NoNodeException ex) {
            return adoptOwnWrite(current, until);
        }
    }

    /**
     * After a conditional write failed: a store may retry a write whose reply was lost,
     * and the retry then fails on the version the first attempt moved. The write was ours
     * if the reservation carries our claim token and value, and the claim node is still
     * the one our session created.
     */
    private boolean adoptOwnWrite(Claim current, long until) throws Exception {
        Stat claimStat = store.exists(current.path);
        if (claimStat == null || claimStat.getEphemeralOwner() != current.sessionId
                || claimStat.getCzxid() != current.czxid) {
            return false;
        }
        Stat stat = new Stat();
        ZnodeRecord record;
        try {
            record = ZnodeRecord.parse(store.getData(reservationPath(current.workerId), stat));
        }
        catch (KeeperException.NoNodeException ex) {
            return false;
        }
        if (current.token().equals(record.text("claim"))
                && record.number("reservedUntil", Claim.NO_RESERVATION) == until) {
            current.reservationVersion = stat.getVersion();
            current.reservedUntil = until;
            return true;
        }
        return false;
    }

    /**
     * Writes the final reservation and deletes the claim node, in one transaction
     * conditional on both.
     */
    void release(Claim held, long finalUntil) throws Exception {
        if (!held.reserved()) {
            // Closed while claiming: nothing was reserved, so nothing was issued; just
            // free the claim.
            store.delete(held.path, held.claimVersion);
            return;
        }
        store.multi(List.of(
                checkClaim(held), new ZnodeOp.SetData(reservationPath(held.workerId),
                        reservationRecord(held, held.notBefore, finalUntil), held.reservationVersion),
                new ZnodeOp.Delete(held.path, held.claimVersion)));
    }

    /**
     * Deletes a claim node if our session still owns it (it would otherwise block the id
     * until the session ends).
     */
    void deleteIfOwned(Claim abandoned) throws Exception {
        Stat stat = store.exists(abandoned.path);
        if (stat != null && stat.getEphemeralOwner() == abandoned.sessionId && stat.getCzxid() == abandoned.czxid
                && store.sessionId() == abandoned.sessionId) {
            store.delete(abandoned.path, stat.getVersion());
        }
    }

    /**
     * The check every reservation write carries. The claim node is never changed after
     * its creation, so its version is always 0: what this check proves is that a node of
     * that name exists. Ownership is proved by the session: the node is ephemeral and was
     * created by this session (checked by owner and czxid when the claim was made), and
     * ZooKeeper deletes it when that session ends, so while this session lives nobody
     * else can have created it. Safety between holders rests on the reservation's own
     * version.
     */
    private static ZnodeOp checkClaim(Claim current) {
        return new ZnodeOp.Check(current.path, current.claimVersion);
    }

    private byte[] reservationRecord(Claim current, long notBefore, long until) {
        return ZnodeRecord.create()
            .with("reservedUntil", until)
            .with("reservedUntilInstant", Instant.ofEpochMilli(until))
            .with("after", notBefore == Claim.NO_RESERVATION ? null : notBefore)
            .with("node", settings.nodeName())
            .with("host", settings.host())
            .with("port", settings.port())
            .with("since", current.sinceMillis)
            .with("claim", current.token())
            .toBytes();
    }

    private String reservationPath(int workerId) {
        return reservationsPath + "/" + workerId;
    }

    /**
     * When the store's idgen data began, by the server's clock: the creation time of the
     * {@code store} marker, which exists as long as the data does and is created again
     * after a loss.
     */
    private long storeCreatedMillis() throws Exception {
        String marker = settings.rootPath() + "/store";
        Stat stat = store.exists(marker);
        if (stat == null) {
            try {
                stat = store.create(marker, ZnodeRecord.create().with("createdBy", settings.nodeName()).toBytes(),
                        CreateMode.PERSISTENT);
            }
            catch (KeeperException.NodeExistsException ex) {
                stat = store.exists(marker);
            }
        }
        return stat == null ? time.currentTimeMillis() : stat.getCtime();
    }

    /** Creates the persistent parents (idempotent). */
    void ensureParents() throws Exception {
        for (String path : List.of(reservationsPath, settings.rootPath() + "/nodes", claimsPath)) {
            if (store.exists(path) == null) {
                try {
                    store.create(path, new byte[0], CreateMode.PERSISTENT);
                }
                catch (KeeperException.NodeExistsException ex) {
                    // already there
                }
            }
        }
    }

    /** The worker id this node name held last, or -1. */
    int lastHeldByThisNode() {
        try {
            return (int) ZnodeRecord.parse(store.getData(nodeRecordPath, new Stat())).number("workerId", -1);
        }
        catch (Exception ex) {
            return -1;
        }
    }

    void rememberHeld(int workerId) throws Exception {
        byte[] data = ZnodeRecord.create()
            .with("workerId", workerId)
            .with("host", settings.host())
            .with("port", settings.port())
            .toBytes();
        try {
            store.setData(nodeRecordPath, data, -1);
        }
        catch (KeeperException.NoNodeException ex) {
            try {
                store.create(nodeRecordPath, data, CreateMode.PERSISTENT);
            }
            catch (KeeperException.NodeExistsException raced) {
                store.setData(nodeRecordPath, data, -1);
            }
        }
    }

    /**
     * The node that holds {@code workerId} now, or else the last one that reserved it.
     */
    Optional<WorkerHolder> holderOf(int workerId) throws Exception {
        try {
            return Optional
                .of(holder(workerId, ZnodeRecord.parse(store.getData(claimsPath + "/" + workerId, new Stat())), true));
        }
        catch (KeeperException.NoNodeException ex) {
            // Nobody holds it now: the reservation names the last holder.
        }
        try {
            return Optional
                .of(holder(workerId, ZnodeRecord.parse(store.getData(reservationPath(workerId), new Stat())), false));
        }
        catch (KeeperException.NoNodeException ex) {
            return Optional.empty();
        }
    }

    static WorkerHolder holder(int workerId, ZnodeRecord record, boolean live) {
        long since = record.number("since", Long.MIN_VALUE);
        return new WorkerHolder(workerId, record.text("node"), record.text("host"), (int) record.number("port", 0),
                since == Long.MIN_VALUE ? null : Instant.ofEpochMilli(since), live);
    }

    /** Why no worker id could be claimed: the range and who holds it. */
    String rangeFullMessage() throws Exception {
        List<String> holders = new ArrayList<>();
        List<String> ids = new ArrayList<>(heldIds());
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
                    node = ZnodeRecord.parse(store.getData(claimsPath + "/" + id, new Stat())).text("node");
                }
                catch (KeeperException.NoNodeException ex) {
                    node = "(just released)";
                }
                holders.add(id + "=" + node);
                named++;
            }
        }
        return "No free worker id in the range " + settings.minWorkerId() + " to " + settings.maxWorkerId() + " under "
                + claimsPath + " for node '" + settings.nodeName() + "': held by " + String.join(", ", holders)
                + (inRange > named ? " and " + (inRange - named) + " more" : "")
                + ". Widen the range or stop a node; nothing is shared.";
    }

    private static long parseOr(String text) {
        try {
            return Long.parseLong(text);
        }
        catch (NumberFormatException ex) {
            return -1;
        }
    }

}
