package dev.idgen.core;

/** No worker id is held, or the lease on it no longer covers the current time. */
public final class LeaseExpiredException extends IdGenerationException {

    private static final long serialVersionUID = 1L;

    LeaseExpiredException(String message, long retryAfterMillis) {
        super(RefusalReason.LEASE_EXPIRED, message, retryAfterMillis);
    }

}
