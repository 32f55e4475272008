package dev.idgen.core;

/**
 * Events from a generator, for metrics. Every method defaults to doing nothing, so the
 * core knows nothing of any metrics library; the Spring Boot starter adapts this to
 * Micrometer.
 *
 * <p>
 * Methods are called on the generating thread, some on the hot path: implementations must
 * be cheap (an increment of a striped counter) and must not throw.
 */
public interface IdGenerationListener {

    /** A listener that ignores everything. */
    IdGenerationListener NOOP = new IdGenerationListener() {
    };

    /** {@code count} ids were issued by one call. */
    default void idsGenerated(int count) {
    }

    /**
     * A millisecond's sequence ran out and the caller waited {@code waitedNanos} for the
     * next one.
     */
    default void sequenceExhausted(long waitedNanos) {
    }

    /**
     * A call found the clock {@code backwardMillis} behind the last issued timestamp
     * (whether it then waited, borrowed or refused).
     */
    default void clockMovedBackwards(long backwardMillis) {
    }

    /**
     * A call waited {@code waitedNanos} for the lease window to open (hand-over from a
     * previous holder).
     */
    default void leaseWaited(long waitedNanos) {
    }

    /** A call was refused. */
    default void refused(RefusalReason reason) {
    }

}
