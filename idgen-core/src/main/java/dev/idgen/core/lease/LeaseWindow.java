package dev.idgen.core.lease;

/**
 * The terms under which a generator may issue ids at one moment: which worker id, and
 * between which instants. Immutable; a {@link WorkerLease} publishes a new window
 * whenever its terms change.
 *
 * <p>
 * An id's timestamp must be strictly after {@code notBeforeMillis} and strictly before
 * {@code notAfterMillis} (both Unix milliseconds). {@code notAfter} is how a coordinator
 * stops a node that can no longer prove it owns its worker id; {@code notBefore} is how
 * the next holder of a reused worker id starts strictly after the previous holder's last
 * possible timestamp.
 *
 * @param workerId the worker id, or {@link #NO_WORKER} when no worker id is held
 * @param notBeforeMillis ids must be issued strictly after this instant
 * @param notAfterMillis ids must be issued strictly before this instant
 */
public record LeaseWindow(int workerId, long notBeforeMillis, long notAfterMillis) {

    /** The worker id of a window that grants nothing. */
    public static final int NO_WORKER = -1;

    private static final LeaseWindow NONE = new LeaseWindow(NO_WORKER, Long.MAX_VALUE, Long.MIN_VALUE);

    public LeaseWindow {
        if (workerId < NO_WORKER) {
            throw new IllegalArgumentException("workerId must be at least 0 (or NO_WORKER), but was " + workerId);
        }
    }

    /** A window that grants nothing: every id is refused. */
    public static LeaseWindow none() {
        return NONE;
    }

    /** A window for {@code workerId} with no time bounds (static assignment). */
    public static LeaseWindow unbounded(int workerId) {
        if (workerId < 0) {
            throw new IllegalArgumentException("workerId must not be negative, but was " + workerId);
        }
        return new LeaseWindow(workerId, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Whether this window grants a worker id at all. */
    public boolean holdsWorker() {
        return workerId != NO_WORKER;
    }

    /**
     * Whether an id with this Unix-millisecond timestamp may be issued under this window.
     */
    public boolean permits(long unixMillis) {
        return holdsWorker() && unixMillis > notBeforeMillis && unixMillis < notAfterMillis;
    }
}
