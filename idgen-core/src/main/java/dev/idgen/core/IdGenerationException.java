package dev.idgen.core;

/**
 * The generator refused to issue an id, because issuing one could have produced a
 * duplicate.
 *
 * <p>
 * A refusal is always safe to retry later or on another node; {@link #retryAfterMillis()}
 * is a hint for how long to wait.
 */
public abstract sealed class IdGenerationException extends RuntimeException permits ClockMovedBackwardsException,
        LeaseExpiredException, LeaseNotYetValidException, TimestampOutOfRangeException {

    private static final long serialVersionUID = 1L;

    private final RefusalReason reason;

    private final long retryAfterMillis;

    IdGenerationException(RefusalReason reason, String message, long retryAfterMillis) {
        super(message, null, false, false); // refusals are expected states: no stack
                                            // trace to fill
        this.reason = reason;
        this.retryAfterMillis = retryAfterMillis;
    }

    public RefusalReason reason() {
        return reason;
    }

    /** How long a caller should wait before asking this node again; at least 1. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }

}
