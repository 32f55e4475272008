package dev.idgen.core;

import dev.idgen.core.clock.TimeSource;
import dev.idgen.core.lease.IssuedIds;
import dev.idgen.core.lease.LeaseWindow;
import dev.idgen.core.lease.WorkerLease;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Snowflake algorithm, lock-free.
 *
 * <p>
 * All state is one {@code AtomicLong}: the highest id reserved so far. A call reads the
 * lease window, then that state, then the clock, decides the next id, and reserves it
 * (or, for a batch, a run of ids in one millisecond) with a single compare-and-set. Why
 * this never duplicates:
 * <ul>
 * <li>every reserved id is greater than the previous state, and a compare-and-set only
 * succeeds against the state it was computed from, so two calls can never reserve the
 * same id;</li>
 * <li>a timestamp below the last issued one is never used: a backwards clock is waited
 * out, borrowed past (issuing above the last id) or refused;</li>
 * <li>the worker id and its time window come from the lease on every call, and an id is
 * only issued if its timestamp lies inside that window, so a node whose lease is gone, or
 * whose worker id's previous holder may still have used a timestamp, issues nothing.</li>
 * </ul>
 * Reading the state before the clock matters: a thread that sees another thread's newer
 * state also sees a clock at least as new, so ordinary races never look like a clock
 * moving backwards. Reading the window again after the clock matters too: a call whose
 * window was withdrawn while it read the clock starts over. A call that passed that check
 * and has not yet reserved its id is stopped by {@link #settle()}, which the lease calls
 * after withdrawing the window: its compare-and-set then fails, and it starts over under
 * the new window. So the highest timestamp {@code settle()} reports covers every id ever
 * issued, whatever the clock did.
 */
final class SnowflakeIdGenerator implements IdGenerator {

    /** Exhaustion waits spin for this long, then park in short steps. */
    private static final long SPIN_NANOS = 2_000_000;

    private static final long PARK_STEP_NANOS = 100_000;

    private static final long NOTHING_ISSUED = -1;

    private final IdLayout layout;

    private final long epochMillis;

    private final long maxTimestamp;

    private final int maxWorkerId;

    private final int maxSequence;

    private final int timestampShift;

    private final int workerIdShift;

    private final WorkerLease lease;

    private final TimeSource time;

    private final boolean borrow;

    private final long maxBackwardWaitMillis;

    private final long maxBorrowMillis;

    private final long maxLeaseWaitNanos;

    private final IdGenerationListener listener;

    private final AtomicLong last = new AtomicLong(NOTHING_ISSUED);

    SnowflakeIdGenerator(IdLayout layout, WorkerLease lease, TimeSource time, ClockBackwardsPolicy policy,
            long maxBackwardWaitMillis, long maxBorrowMillis, long maxLeaseWaitNanos, IdGenerationListener listener) {
        this.layout = layout;
        this.epochMillis = layout.epochMillis();
        this.maxTimestamp = layout.maxTimestamp();
        this.maxWorkerId = layout.maxWorkerId();
        this.maxSequence = layout.maxSequence();
        this.workerIdShift = layout.sequenceBits();
        this.timestampShift = layout.sequenceBits() + layout.workerIdBits();
        this.lease = lease;
        this.time = time;
        this.borrow = policy == ClockBackwardsPolicy.BORROW;
        this.maxBackwardWaitMillis = maxBackwardWaitMillis;
        this.maxBorrowMillis = maxBorrowMillis;
        this.maxLeaseWaitNanos = maxLeaseWaitNanos;
        this.listener = listener;
    }

    @Override
    public long nextId() {
        long id = reserve(1);
        listener.idsGenerated(1);
        return id;
    }

    @Override
    public long[] nextIds(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, but was " + count);
        }
        long[] ids = new long[count];
        int filled = 0;
        while (filled < count) {
            int wanted = count - filled;
            long first = reserve(wanted);
            int granted = granted(first, wanted);
            for (int i = 0; i < granted; i++) {
                ids[filled + i] = first + i; // sequence is the low field: +i is the next
                                             // sequence
            }
            filled += granted;
        }
        listener.idsGenerated(count);
        return ids;
    }

    @Override
    public IdLayout layout() {
        return layout;
    }

    /**
     * How many of {@code wanted} ids {@link #reserve} granted from {@code first}: the
     * rest of its millisecond.
     */
    private int granted(long first, int wanted) {
        long left = (long) maxSequence - (first & maxSequence) + 1;
        return (int) Math.min(wanted, left);
    }

    /**
     * Reserves up to {@code wanted} consecutive ids within one millisecond and returns
     * the first; {@link #granted} tells how many.
     */
    // The same window object is the usual case: equals stays off the hot path.
    @SuppressWarnings("ReferenceEquality")
    private long reserve(int wanted) {
        long exhaustedSince = 0;
        long leaseWaitSince = 0;
        boolean backwardReported = false;
        for (;;) {
            LeaseWindow window = lease.window();
            long prev = last.get();
            long now = time.currentTimeMillis() - epochMillis;
            LeaseWindow again = lease.window();
            if (again != window && !again.equals(window)) {
                // The terms changed while we read the clock, e.g. the lease was withdrawn
                // and a final
                // reservation written from "now": only a clock read made while the window
                // was still
                // current is known to be covered by what the coordinator reserved. Start
                // over.
                continue;
            }

            int workerId = window.workerId();
            if (workerId < 0) {
                throw refused(
                        new LeaseExpiredException("no worker id is held: this node cannot prove it owns one", 1000));
            }
            if (workerId > maxWorkerId) {
                throw new IllegalStateException(
                        "lease granted worker id " + workerId + " but the layout allows 0 to " + maxWorkerId);
            }
            if (now < 0 || now > maxTimestamp) {
                throw refused(outOfRange(now));
            }

            long prevTs;
            long prevWorker;
            long prevSeq;
            if (prev == NOTHING_ISSUED) {
                prevTs = -1;
                prevWorker = -1;
                prevSeq = maxSequence;
            }
            else {
                prevTs = prev >>> timestampShift;
                prevWorker = (prev >>> workerIdShift) & maxWorkerId;
                prevSeq = prev & maxSequence;
            }

            long ts;
            long seq;
            if (now > prevTs) {
                ts = now;
                seq = 0;
            }
            else {
                long behind = prevTs - now;
                if (behind > 0) {
                    if (!backwardReported) {
                        listener.clockMovedBackwards(behind);
                        backwardReported = true;
                    }
                    long tolerated = borrow ? maxBorrowMillis : maxBackwardWaitMillis;
                    if (behind > tolerated) {
                        throw refused(new ClockMovedBackwardsException(behind, tolerated));
                    }
                    if (!borrow) {
                        // Safe: we only wait; no timestamp below the last one is ever
                        // used.
                        time.pause(behind * 1_000_000L);
                        continue;
                    }
                }
                if (workerId == prevWorker && prevSeq < maxSequence) {
                    ts = prevTs;
                    seq = prevSeq + 1;
                }
                else if (behind > 0) {
                    // BORROW: the last millisecond is used up; move on logically, ahead
                    // of the clock.
                    ts = prevTs + 1;
                    seq = 0;
                    if (ts - now > maxBorrowMillis) {
                        throw refused(new ClockMovedBackwardsException(behind, maxBorrowMillis));
                    }
                }
                else {
                    // This millisecond is used up (or the worker id changed within it):
                    // wait for the next.
                    if (exhaustedSince == 0) {
                        exhaustedSince = time.nanoTime() | 1;
                    }
                    time.pause(time.nanoTime() - exhaustedSince < SPIN_NANOS ? 0 : PARK_STEP_NANOS);
                    continue;
                }
            }
            if (ts > maxTimestamp) {
                throw refused(outOfRange(ts));
            }

            long unixMillis = ts + epochMillis;
            if (unixMillis >= window.notAfterMillis()) {
                throw refused(new LeaseExpiredException("the lease on worker id " + workerId + " ended at "
                        + Instant.ofEpochMilli(window.notAfterMillis())
                        + ": this node can no longer prove it still owns it", 1000));
            }
            if (unixMillis <= window.notBeforeMillis()) {
                // Safe: the previous holder of this worker id may have issued up to
                // notBefore; wait past it.
                long remainingMillis = window.notBeforeMillis() - unixMillis + 1;
                long nowNanos = time.nanoTime();
                if (leaseWaitSince == 0) {
                    leaseWaitSince = nowNanos | 1;
                }
                if (nowNanos - leaseWaitSince + remainingMillis * 1_000_000L > maxLeaseWaitNanos) {
                    throw refused(new LeaseNotYetValidException(workerId, remainingMillis));
                }
                time.pause(remainingMillis * 1_000_000L);
                continue;
            }

            long first = (ts << timestampShift) | ((long) workerId << workerIdShift) | seq;
            int granted = granted(first, wanted);
            if (last.compareAndSet(prev, first + granted - 1)) {
                if (exhaustedSince != 0) {
                    listener.sequenceExhausted(time.nanoTime() - exhaustedSince);
                }
                if (leaseWaitSince != 0) {
                    listener.leaseWaited(time.nanoTime() - leaseWaitSince);
                }
                return first;
            }
        }
    }

    /**
     * {@link IssuedIds#settle()}: moves the state on by one, so every compare-and-set
     * computed from an earlier state fails and its call starts over under the lease's new
     * window. The new state stands for one more id in the same run, which is never
     * issued: harmless, since states only ever grow.
     */
    long settle() {
        long prev = last.getAndIncrement();
        return prev == NOTHING_ISSUED ? IssuedIds.NOTHING : (prev >>> timestampShift) + epochMillis;
    }

    private TimestampOutOfRangeException outOfRange(long timestamp) {
        return new TimestampOutOfRangeException("timestamp " + Instant.ofEpochMilli(timestamp + epochMillis)
                + " is outside this layout's range " + layout.epoch() + " to " + layout.lastInstant());
    }

    private IdGenerationException refused(IdGenerationException e) {
        listener.refused(e.reason());
        return e;
    }

    @Override
    public String toString() {
        return "SnowflakeIdGenerator[" + layout + ", worker=" + lease.window().workerId() + "]";
    }

}
