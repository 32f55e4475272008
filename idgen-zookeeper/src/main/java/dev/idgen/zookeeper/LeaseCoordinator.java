package dev.idgen.zookeeper;

import dev.idgen.core.clock.TimeSource;
import dev.idgen.core.lease.IssuedIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease's decisions: claim a worker id, confirm it every heartbeat, give it up when
 * it is lost, and write the final reservation at release. It reacts to events (a
 * heartbeat is due, the connection changed, close) and asks its parts to act:
 * {@link ClaimStore} for the claim and reservation writes, {@link PeerClockVote} for the
 * member record and clock check, {@link ReservationLog} for the durable local floor, and
 * {@link Fence} for what the generator may issue. It reads time only through its
 * {@link TimeSource} and runs only on the coordinator lane of its {@link LeaseScheduler},
 * which is what lets the deterministic simulator run this very code from one seed.
 */
final class LeaseCoordinator {

    private static final Logger logger = LoggerFactory.getLogger(LeaseCoordinator.class);

    /**
     * How many free worker ids a claim looks at for one it can use without a long wait.
     */
    private static final int MAX_CANDIDATES_PEEKED = 64;

    private final ZnodeStore store;

    private final ZooKeeperLeaseSettings settings;

    private final TimeSource time;

    private final LeaseScheduler scheduler;

    private final Fence fence;

    private final ClaimStore claims;

    private final PeerClockVote peers;

    private final ReservationLog log;

    private final List<IssuedIds> issuers = new CopyOnWriteArrayList<>();

    private final long leadMillis;

    // Coordinator lane only (close() reads them after the lane stopped).
    private volatile @Nullable Claim claim;

    private volatile boolean running;

    private int lastWorkerId = -1;

    private boolean shortSessionReported;

    LeaseCoordinator(ZnodeStore store, ZooKeeperLeaseSettings settings, TimeSource time, LeaseScheduler scheduler,
            Fence fence, ReservationLog log) {
        this.store = store;
        this.settings = settings;
        this.time = time;
        this.scheduler = scheduler;
        this.fence = fence;
        this.claims = new ClaimStore(store, settings, time, fence::storeLossDetected);
        this.peers = new PeerClockVote(store, settings, time);
        this.log = log;
        this.leadMillis = settings.reservationLead().toMillis();
    }

    ClaimStore claims() {
        return claims;
    }

    void track(IssuedIds issued) {
        issuers.add(issued);
    }

    /**
     * Starts the heartbeat: the first run claims, later runs confirm the claim (or claim
     * again after a loss).
     */
    void start() {
        running = true;
        scheduler.coordinator(this::heartbeatLoop, 0);
    }

    private void heartbeatLoop() {
        if (!running) {
            return;
        }
        tick();
        scheduler.coordinator(this::heartbeatLoop, settings.heartbeatInterval().toNanos());
    }

    /**
     * One more tick now, outside the heartbeat rhythm: after a loss or a reconnection.
     */
    void tickSoon() {
        scheduler.coordinator(this::tick, 0);
    }

    void tick() {
        if (!running) {
            return;
        }
        try {
            Claim current = claim;
            if (current != null && current.epoch != fence.epoch()) {
                // Lost meanwhile (session expired): its window is already withdrawn;
                // claim afresh.
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
            if (running) {
                logger.warn("{} heartbeat failed, will retry: {}", fence.who(), ex.toString());
                logger.debug("{} heartbeat failure", fence.who(), ex);
            }
        }
    }

    private void claimWorkerId() throws Exception {
        if (!store.isConnected()) {
            return; // the next heartbeat or the reconnection retries
        }
        long claimEpoch = fence.epoch();
        long sessionId = store.sessionId();
        // Any request ZooKeeper answers proves the session alive when it was sent, so
        // sending later than
        // this instant only makes the fencing deadline computed from it conservative.
        long sentNanos = time.nanoTime();
        claims.ensureParents();
        Set<String> held = new HashSet<>(claims.heldIds());
        List<Integer> free = new ArrayList<>();
        for (int workerId : candidateOrder()) {
            if (!held.contains(Integer.toString(workerId))) {
                free.add(workerId);
            }
        }
        preferNoLongWait(free);
        Claim fresh = null;
        for (int workerId : free) {
            fresh = claims.tryClaim(workerId, sessionId, claimEpoch);
            if (fresh != null) {
                break;
            }
        }
        if (fresh == null) {
            String message = claims.rangeFullMessage();
            fence.rangeFull(message);
            logger.warn("{} {} Retrying every {}.", fence.who(), message, settings.heartbeatInterval());
            return;
        }
        claim = fresh; // from here close() releases it, even if the steps below fail
        boolean reserved = false;
        try {
            reserved = reserve(fresh);
        }
        finally {
            if (!reserved) {
                // Without a reservation we cannot issue on it: free the id rather than
                // sit on it.
                claim = null;
                deleteQuietly(fresh);
            }
        }
        if (!reserved) {
            logger.warn("{} lost worker id {} while reserving it; claiming again", fence.who(), fresh.workerId);
            return;
        }
        lastWorkerId = fresh.workerId;
        long waitMillis = fresh.notBefore == Claim.NO_RESERVATION ? 0
                : Math.max(0, fresh.notBefore - time.currentTimeMillis() + 1);
        if (!fence.claimed(fresh, waitMillis)) {
            return; // lost while claiming; the next tick claims again
        }
        // From here the claim stands: if a step below fails, the next heartbeat completes
        // it.
        logger.info(
                "{} claimed worker id {} (previous reservation {}, reserved until {}, session 0x{} with a "
                        + "negotiated timeout of {} ms)",
                fence.who(), fresh.workerId, describe(fresh.notBefore), Instant.ofEpochMilli(fresh.reservedUntil),
                Long.toHexString(fresh.sessionId), store.negotiatedSessionTimeoutMillis());
        if (waitMillis > 0) {
            logger.info("{} waits {} ms for its clock to pass the previous holder's reservation {} before issuing",
                    fence.who(), waitMillis, Instant.ofEpochMilli(fresh.notBefore));
        }
        claims.rememberHeld(fresh.workerId);
        PeerClockVote.MemberWrite member = peers.write(fresh);
        if (member == null) {
            lose(fresh, "its ZooKeeper session was replaced while claiming");
            return;
        }
        if (checkClock(member)) {
            fence.publish(fresh, deadline(sentNanos));
        }
        if (waitMillis > 0) {
            scheduler.watchdog(fence::promoteAfterHandover, TimeUnit.MILLISECONDS.toNanos(waitMillis));
        }
    }

    /**
     * Reserves a fresh claim, starting after this node's own durable floor as well as the
     * store's record. The floor is raised to the new reservation before any window is
     * published on it, so whatever the store later loses, this node's own record covers
     * every timestamp it was ever allowed to issue.
     */
    private boolean reserve(Claim fresh) throws Exception {
        long floor = log.floor(fresh.workerId);
        boolean reserved = claims.reserve(fresh, floor, leadMillis);
        if (reserved) {
            log.record(fresh.workerId, fresh.reservedUntil);
        }
        return reserved;
    }

    /**
     * Moves the free worker ids that can be used at once ahead of the first candidate
     * when that one could only be used after a wait beyond {@code maxHandoverWait}: after
     * a forward clock jump and its correction, this node's own previous id is reserved
     * far ahead, and waiting it out would keep the node not ready for as long as the
     * jump, while other ids are free. All of them move, in order, not just the first:
     * another node may claim that one between the read of the free ids and this node's
     * create, and losing that race must lead to the next free id, not back to the long
     * wait. Looks at a bounded number of candidates; when none is better, the order stays
     * and the wait is reported.
     */
    private void preferNoLongWait(List<Integer> free) throws Exception {
        if (free.isEmpty()) {
            return;
        }
        long bound = settings.maxHandoverWait().toMillis();
        long firstWait = waitMillis(free.get(0));
        if (firstWait <= bound) {
            return;
        }
        List<Integer> soon = new ArrayList<>();
        for (int i = 1; i < Math.min(free.size(), MAX_CANDIDATES_PEEKED); i++) {
            if (waitMillis(free.get(i)) <= bound) {
                soon.add(free.get(i));
            }
        }
        if (soon.isEmpty()) {
            logger.warn("{} worker id {} is reserved {} ms past this node's clock and no free worker id can be used "
                    + "sooner: waiting", fence.who(), free.get(0), firstWait);
            return;
        }
        logger.info("{} tries worker ids {} before {}, which is reserved {} ms past this node's clock (more than the "
                + "hand-over bound of {} ms)", fence.who(), soon, free.get(0), firstWait, bound);
        free.removeAll(soon);
        free.addAll(0, soon);
    }

    /**
     * How long this node would wait before issuing on {@code workerId}: its store and
     * local reservations.
     */
    private long waitMillis(int workerId) throws Exception {
        long reserved = Math.max(claims.reservedUntil(workerId), log.floor(workerId));
        return reserved == Claim.NO_RESERVATION ? 0 : Math.max(0, reserved - time.currentTimeMillis() + 1);
    }

    /**
     * Claim order: the id this node name held last (graceful restart, re-claim after a
     * loss), then the lowest.
     */
    private List<Integer> candidateOrder() {
        int preferred = lastWorkerId >= 0 ? lastWorkerId : claims.lastHeldByThisNode();
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

    private void heartbeat(Claim current) throws Exception {
        if (!store.isConnected()) {
            return; // SUSPENDED: nothing advances; the watchdog ends the window at its
                    // deadline
        }
        if (store.sessionId() != current.sessionId) {
            lose(current, "its ZooKeeper session was replaced");
            return;
        }
        long sentNanos = time.nanoTime();
        PeerClockVote.MemberWrite member = peers.write(current);
        if (member == null) {
            lose(current, "its ZooKeeper session was replaced");
            return;
        }
        if (!checkClock(member)) {
            return; // refusing: do not carry a suspect clock into the reservation either
        }
        long until = Math.max(current.reservedUntil,
                Math.max(time.currentTimeMillis(), current.notBefore) + leadMillis);
        log.record(current.workerId, until);
        if (!claims.extend(current, until)) {
            lose(current, "its claim or reservation changed in ZooKeeper");
            return;
        }
        fence.publish(current, deadline(sentNanos));
    }

    private boolean checkClock(PeerClockVote.MemberWrite member) throws Exception {
        if (peers.tooSlowToJudge(member)) {
            return fence.clockAccepted();
        }
        return fence.acceptClock(peers.measure(member));
    }

    /**
     * The last safe instant (monotonic) after a confirmation of a request sent at
     * {@code sentNanos}.
     */
    private long deadline(long sentNanos) {
        // ZooKeeper expires a session no sooner than its negotiated timeout after the
        // last request it got
        // from it; ours arrived no earlier than it was sent.
        long negotiatedMillis = store.negotiatedSessionTimeoutMillis();
        long marginMillis = settings.safetyMargin().toMillis();
        if (negotiatedMillis - marginMillis < 2 * settings.heartbeatInterval().toMillis() && !shortSessionReported) {
            shortSessionReported = true;
            logger.warn(
                    "{} ZooKeeper negotiated a session timeout of {} ms (requested {}): with the safety "
                            + "margin of {} ms fewer than two heartbeats fit, so a late heartbeat stops issuing",
                    fence.who(), negotiatedMillis, settings.sessionTimeout().toMillis(), marginMillis);
        }
        return sentNanos + TimeUnit.MILLISECONDS.toNanos(negotiatedMillis - marginMillis);
    }

    private void lose(Claim lost, String reason) {
        fence.lose(lost);
        claim = null;
        logger.warn("{} lost worker id {}: {}; issuing stopped, claiming again", fence.who(), lost.workerId, reason);
        deleteQuietly(lost);
        tickSoon();
    }

    private void deleteQuietly(Claim abandoned) {
        try {
            claims.deleteIfOwned(abandoned);
        }
        catch (Exception ex) {
            logger.debug("{} could not delete the abandoned claim {}", fence.who(), abandoned.path, ex);
        }
    }

    /** Stops the heartbeat; called on close before the coordinator lane is stopped. */
    void stop() {
        running = false;
    }

    /**
     * Gives the worker id back: the final reservation (see {@link #finalReservation}) and
     * the claim's deletion in one transaction, then the member record. Called after the
     * fence withdrew the window and the coordinator lane stopped.
     */
    void release() {
        Claim held = claim;
        claim = null;
        if (held != null) {
            release(held);
        }
        peers.leave(fence.who());
    }

    private void release(Claim held) {
        try {
            if (!store.isConnected() || store.sessionId() != held.sessionId) {
                logger.warn(
                        "{} could not release worker id {} (ZooKeeper unreachable or session gone); its claim "
                                + "ends with the session and the next holder starts after reservation {}",
                        fence.who(), held.workerId, describe(held.reservedUntil));
                return;
            }
            long finalUntil = finalReservation(held);
            log.released(held.workerId, finalUntil);
            claims.release(held, finalUntil);
            logger.info("{} released worker id {} (final reservation {})", fence.who(), held.workerId,
                    describe(finalUntil));
        }
        catch (org.apache.zookeeper.KeeperException.BadVersionException
                | org.apache.zookeeper.KeeperException.NoNodeException ex) {
            logger.warn("{} did not release worker id {}: it had already been lost", fence.who(), held.workerId);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (Exception ex) {
            logger.warn("{} could not release worker id {}; its claim ends with the session: {}", fence.who(),
                    held.workerId, ex.toString());
        }
    }

    /**
     * The reservation left behind at release: lowered to the highest timestamp the
     * tracked generators really issued, so the next holder need not wait out the lead.
     * Their own record, not a clock read: a clock stepped back since the last heartbeat
     * would put "now" below ids already issued. The window is already withdrawn, and
     * settling makes calls in flight start over under it, so nothing is issued above the
     * value read here. With no generator tracked, nothing is known, so nothing is
     * lowered; never below what the previous holder reserved. When nothing was ever
     * issued or reserved before, the epoch of Unix time stands for "nothing": a
     * reservation is always a number.
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

    private static String describe(long reservation) {
        return reservation == Claim.NO_RESERVATION ? "none" : Instant.ofEpochMilli(reservation).toString();
    }

}
