package dev.idgen.zookeeper;

import java.time.Duration;

/**
 * Where the lease's work runs: its only way to time passing, besides the
 * {@code TimeSource}. The production scheduler ({@link #threads(String)}) runs three
 * lanes on three daemon threads; the deterministic simulator runs them all as events on
 * one thread, from one seed.
 *
 * <p>
 * Lanes: the <em>coordinator</em> runs claims, heartbeats and the release one at a time,
 * in order, and is the only lane that talks to the store; the <em>watchdog</em> ends a
 * lease window at its deadline and must never wait for the coordinator's I/O;
 * <em>notifications</em> run state listeners in order, off both.
 */
public interface LeaseScheduler {

    /** Runs {@code task} on the coordinator lane after {@code delayNanos}. */
    void coordinator(Runnable task, long delayNanos);

    /**
     * Runs {@code task} on the watchdog lane after {@code delayNanos}; the handle cancels
     * it.
     */
    Cancellable watchdog(Runnable task, long delayNanos);

    /** Runs {@code task} on the notification lane. */
    void notify(Runnable task);

    /**
     * Stops the coordinator lane: nothing queued runs any more, and a task in flight gets
     * up to {@code patience} to finish. Returns once nothing runs on that lane.
     */
    void stopCoordinator(Duration patience) throws InterruptedException;

    /** Stops the other lanes. */
    void close();

    /** A scheduled task that can be called off. */
    @FunctionalInterface
    interface Cancellable {

        void cancel();

    }

    /**
     * Three daemon threads named after the node: {@code idgen-lease-<node>},
     * {@code -watchdog-}, {@code -events-}.
     */
    static LeaseScheduler threads(String nodeName) {
        return new ThreadLeaseScheduler(nodeName);
    }

}
