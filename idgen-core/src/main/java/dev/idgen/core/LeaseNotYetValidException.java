package dev.idgen.core;

/**
 * The worker id's previous holder may have issued ids up to a later timestamp than this
 * node's clock shows, and waiting for the clock to pass it would take longer than
 * allowed.
 */
public final class LeaseNotYetValidException extends IdGenerationException {

    private static final long serialVersionUID = 1L;

    private final long remainingMillis;

    LeaseNotYetValidException(int workerId, long remainingMillis) {
        super(RefusalReason.LEASE_NOT_YET_VALID, "worker id " + workerId + " may not issue ids for another "
                + remainingMillis + " ms: its previous holder reserved timestamps up to then",
                Math.max(1, remainingMillis));
        this.remainingMillis = remainingMillis;
    }

    /** How much longer this node must wait before the lease window opens. */
    public long remainingMillis() {
        return remainingMillis;
    }

}
