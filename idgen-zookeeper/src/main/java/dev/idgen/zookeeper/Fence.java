package dev.idgen.zookeeper;

import dev.idgen.core.clock.TimeSource;
import dev.idgen.core.lease.LeaseSnapshot;
import dev.idgen.core.lease.LeaseState;
import dev.idgen.core.lease.LeaseWindow;
import dev.idgen.core.lease.WorkerIdUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease window the generator reads, and everything that decides it: the state, the
 * epoch that invalidates a lost claim, the monotonic deadline a watchdog enforces, and
 * the suspensions (connection, peer clock) that stop it from being published. No I/O
 * happens here, so the watchdog is never held up by a store call.
 *
 * <p>
 * Every change happens under one lock; {@link #window()} is a single volatile read.
 */
final class Fence {

    private static final Logger logger = LoggerFactory.getLogger(Fence.class);

    private final ZooKeeperLeaseSettings settings;

    private final TimeSource time;

    private final LeaseScheduler scheduler;

    private final List<Consumer<LeaseSnapshot>> listeners = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();

    /**
     * The generator reads this on every id: a single volatile read of an immutable
     * window.
     */
    private volatile LeaseWindow window = LeaseWindow.none();

    private volatile int heldWorkerId = -1;

    // Guarded by lock.
    private LeaseState state = LeaseState.ACQUIRING;

    private long epoch;

    private long notAfterNanos;

    private long reservedUntil = Claim.NO_RESERVATION;

    private Duration handoverWait = Duration.ZERO;

    private long reclaims;

    private long storeLossesDetected;

    private boolean everClaimed;

    private @Nullable Duration peerClockOffset;

    private boolean suspended;

    private boolean clockRefused;

    private boolean closed;

    private @Nullable String rangeFull;

    private LeaseScheduler.@Nullable Cancellable watchdogTask;

    Fence(ZooKeeperLeaseSettings settings, TimeSource time, LeaseScheduler scheduler) {
        this.settings = settings;
        this.time = time;
        this.scheduler = scheduler;
    }

    LeaseWindow window() {
        return window;
    }

    long epoch() {
        synchronized (lock) {
            return epoch;
        }
    }

    // ---------------------------------------------------------------- claim life

    /**
     * Records a fresh claim as held, unless it was lost meanwhile; returns whether it
     * stands.
     */
    boolean claimed(Claim fresh, long handoverWaitMillis) {
        synchronized (lock) {
            if (closed || fresh.epoch != epoch) {
                return false;
            }
            rangeFull = null;
            heldWorkerId = fresh.workerId;
            reservedUntil = fresh.reservedUntil;
            handoverWait = Duration.ofMillis(handoverWaitMillis);
            if (everClaimed) {
                reclaims++;
            }
            everClaimed = true;
            return true;
        }
    }

    /**
     * Publishes the window a confirmation earned: up to the fencing deadline (monotonic)
     * and never past the reservation the store accepted. Nothing is published for a lost
     * claim, while suspended, while the clock is refused, or after close.
     */
    void publish(Claim confirmed, long deadlineNanos) {
        synchronized (lock) {
            if (closed || confirmed.epoch != epoch || suspended || clockRefused) {
                return;
            }
            long nowNanos = time.nanoTime();
            long nowWall = time.currentTimeMillis();
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

    /** Ends a claim that is no longer ours; returns whether it was the current one. */
    boolean lose(Claim lost) {
        synchronized (lock) {
            if (lost.epoch != epoch) {
                return false;
            }
            loseLocked();
            return true;
        }
    }

    private void loseLocked() {
        epoch++;
        withdrawLocked();
        heldWorkerId = -1;
        reservedUntil = Claim.NO_RESERVATION;
        setStateLocked(LeaseState.LOST);
    }

    /** A claim found the store's reservation below this node's own durable record. */
    void storeLossDetected() {
        synchronized (lock) {
            storeLossesDetected++;
        }
    }

    void rangeFull(String message) {
        synchronized (lock) {
            rangeFull = message;
            lock.notifyAll();
        }
    }

    /**
     * Stops issuing before anything else at close: the final reservation may be lower
     * than the current one.
     */
    void closing() {
        synchronized (lock) {
            closed = true;
            epoch++;
            withdrawLocked();
        }
    }

    void closed() {
        synchronized (lock) {
            heldWorkerId = -1;
            if (watchdogTask != null) {
                watchdogTask.cancel();
            }
            setStateLocked(LeaseState.CLOSED);
        }
    }

    // ---------------------------------------------------------------- connection

    void suspend(String why) {
        synchronized (lock) {
            suspended = true;
            if (heldWorkerId >= 0 && (state == LeaseState.ACTIVE || state == LeaseState.ACQUIRING)) {
                setStateLocked(LeaseState.SUSPENDED);
            }
            logger.warn("{} ZooKeeper connection {}: the window stops advancing and ends in {} ms", who(), why,
                    window.holdsWorker() ? (notAfterNanos - time.nanoTime()) / 1_000_000 : 0);
        }
    }

    /** The session is gone, so the claim may already belong to someone else: stop now. */
    void sessionLost() {
        synchronized (lock) {
            suspended = true;
            loseLocked();
        }
    }

    void reconnected() {
        synchronized (lock) {
            suspended = false;
        }
    }

    // ---------------------------------------------------------------- peer clock

    /**
     * Records the peer clock verdict; refuses (withdraws the window) while a majority of
     * the live nodes puts this clock beyond the limit. Returns whether issuing may go on.
     */
    boolean acceptClock(PeerClockVote.@Nullable PeerClock peer) {
        synchronized (lock) {
            Duration skew = peer == null ? null : peer.offset();
            peerClockOffset = skew;
            if (peer != null && peer.outvoted()) {
                if (!clockRefused) {
                    logger.error("{} clock differs from the median of the live nodes' by {} ms, and {} of its {} "
                            + "peers are more than the limit of {} ms away: refusing to issue until it is back within",
                            who(), peer.offset().toMillis(), peer.disagreeing(), peer.peers(),
                            settings.peerClockLimit().toMillis());
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
            else if (skew != null && skew.abs().compareTo(settings.peerClockWarn()) > 0) {
                logger.warn(
                        "{} clock differs from the median of the live nodes' by {} ms (warn above {} ms; refuse "
                                + "when most nodes are more than {} ms away)",
                        who(), skew.toMillis(), settings.peerClockWarn().toMillis(),
                        settings.peerClockLimit().toMillis());
            }
            return true;
        }
    }

    /**
     * The verdict of the last peer clock check, for a measurement too slow to say
     * anything new.
     */
    boolean clockAccepted() {
        synchronized (lock) {
            return !clockRefused;
        }
    }

    // ---------------------------------------------------------------- watchdog

    /**
     * After a hand-over wait: becomes ACTIVE once the clock passed the previous holder's
     * reservation.
     */
    void promoteAfterHandover() {
        synchronized (lock) {
            if (state == LeaseState.ACQUIRING && window.holdsWorker() && !suspended && !clockRefused
                    && time.currentTimeMillis() > window.notBeforeMillis()) {
                logger.info("{} clock passed the previous holder's reservation after {} ms: issuing", who(),
                        handoverWait.toMillis());
                setStateLocked(LeaseState.ACTIVE);
            }
        }
    }

    private void scheduleWatchdogLocked(long delayNanos) {
        if (watchdogTask != null) {
            watchdogTask.cancel();
        }
        watchdogTask = scheduler.watchdog(this::expireIfDue, Math.max(0, delayNanos));
    }

    /**
     * Ends the window at its deadline on the monotonic clock, so a wall-clock jump cannot
     * extend issuing.
     */
    void expireIfDue() {
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

    // ---------------------------------------------------------------- state and
    // snapshots

    void addListener(Consumer<LeaseSnapshot> listener) {
        listeners.add(listener);
    }

    LeaseSnapshot snapshot() {
        synchronized (lock) {
            return snapshotLocked();
        }
    }

    /**
     * Waits until ACTIVE (or CLOSED) or the timeout; throws when the range is full, which
     * waiting cannot fix.
     */
    LeaseSnapshot awaitActive(Duration timeout) throws InterruptedException {
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

    private void setStateLocked(LeaseState next) {
        if (state == next) {
            return;
        }
        LeaseState previous = state;
        state = next;
        lock.notifyAll();
        LeaseSnapshot snapshot = snapshotLocked();
        logger.info("{} {} -> {}", who(), previous, next);
        scheduler.notify(() -> {
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

    private LeaseSnapshot snapshotLocked() {
        Duration timeLeft = window.holdsWorker() ? Duration.ofNanos(Math.max(0, notAfterNanos - time.nanoTime()))
                : Duration.ZERO;
        Instant reserved = reservedUntil == Claim.NO_RESERVATION ? null : Instant.ofEpochMilli(reservedUntil);
        return new LeaseSnapshot(state, settings.assignment(), heldWorkerId, settings.nodeName(), timeLeft, reserved,
                handoverWait, reclaims, peerClockOffset, storeLossesDetected);
    }

    /** How log lines name this lease: node and worker id. */
    String who() {
        return "idgen lease [node=" + settings.nodeName() + ", workerId=" + heldWorkerId + "]";
    }

}
