package dev.idgen.core.lease;

/**
 * Where a {@link ManagedWorkerLease} is in its life. Only {@link #ACTIVE} lets the
 * generator issue ids.
 */
public enum LeaseState {

    /**
     * Claiming a worker id, or waiting for the first confirmation; nothing is issued yet.
     */
    ACQUIRING,

    /** The worker id is held and confirmed; ids are issued within the lease window. */
    ACTIVE,

    /**
     * The coordinator cannot be reached; the window stops advancing and runs out on its
     * own.
     */
    SUSPENDED,

    /**
     * Ownership is gone (session expired); nothing is issued until a new claim succeeds.
     */
    LOST,

    /** Closed for good; the worker id was released. */
    CLOSED

}
