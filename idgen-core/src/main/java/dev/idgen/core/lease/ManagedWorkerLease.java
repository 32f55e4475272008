package dev.idgen.core.lease;

import java.io.Closeable;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link WorkerLease} with a life cycle: started once, watched by health and metrics,
 * closed once.
 *
 * <p>
 * {@link #window()} stays a single volatile read (the generator calls it per id);
 * everything else here is for operations.
 */
public interface ManagedWorkerLease extends WorkerLease, Closeable {

    /**
     * Starts claiming a worker id; returns without waiting for the claim to succeed
     * unless the implementation says otherwise.
     * @throws IllegalStateException if called more than once
     */
    void start();

    /**
     * Waits until the lease is {@link LeaseState#ACTIVE} or {@code timeout} passes,
     * whichever is first, and returns the lease as it is then (possibly still not active:
     * the caller decides).
     * @throws WorkerIdUnavailableException if the claim failed for a reason waiting
     * cannot fix (the range is full)
     * @throws InterruptedException if interrupted while waiting
     */
    LeaseSnapshot awaitActive(Duration timeout) throws InterruptedException;

    /** The lease as it is now. */
    LeaseSnapshot snapshot();

    /**
     * Calls {@code listener} after every change of {@link LeaseState}, on the
     * coordinator's thread.
     */
    void addStateListener(Consumer<LeaseSnapshot> listener);

    /** The node that holds or last held {@code workerId}, if the coordinator knows it. */
    default Optional<WorkerHolder> holderOf(int workerId) {
        return Optional.empty();
    }

    /**
     * Releases the worker id (so another node may claim it at once) and stops.
     * Idempotent.
     */
    @Override
    void close();

}
