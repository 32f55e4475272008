package dev.idgen.core.lease;

/**
 * The source of a generator's worker id and of the time window in which it may use it.
 *
 * <p>
 * The generator calls {@link #window()} on every id, so implementations must make it
 * cheap: a single volatile read of an immutable {@link LeaseWindow}, no locks, no I/O. A
 * coordinator (such as the ZooKeeper lease in the Spring Boot starter) publishes a new
 * window when it confirms ownership, and publishes {@link LeaseWindow#none()} or a closed
 * window the moment it cannot.
 *
 * <p>
 * The generator reads the window both before and after it reads the clock and starts over
 * if it changed, so a coordinator may rely on this: once it has published a new window,
 * no call still in flight issues an id under the old one with a clock reading taken after
 * the publication.
 */
@FunctionalInterface
public interface WorkerLease {

    /** The current terms. Never {@code null}. */
    LeaseWindow window();

    /**
     * Called once by every generator built on this lease, so that the lease can ask, when
     * it releases its worker id, what was really issued. A lease that writes a final
     * reservation must not lower it below what its tracked generators report; with none
     * tracked it must not lower it at all.
     */
    default void track(IssuedIds issued) {
    }

    /**
     * A fixed worker id with no time bounds: the operator guarantees that nobody else
     * uses it.
     */
    static WorkerLease fixed(int workerId) {
        LeaseWindow window = LeaseWindow.unbounded(workerId);
        return () -> window;
    }

}
