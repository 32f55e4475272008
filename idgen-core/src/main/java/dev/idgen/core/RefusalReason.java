package dev.idgen.core;

/** Why a generator refused to issue an id. Each has its own exception type. */
public enum RefusalReason {

    /**
     * The clock stepped back further than the policy tolerates:
     * {@link ClockMovedBackwardsException}.
     */
    CLOCK_BACKWARDS("clock_backwards"),

    /** No worker id is held, or its lease ran out: {@link LeaseExpiredException}. */
    LEASE_EXPIRED("lease_expired"),

    /**
     * A new holder of a worker id must wait past its previous holder's reservation, and
     * the wait was longer than allowed: {@link LeaseNotYetValidException}.
     */
    LEASE_NOT_YET_VALID("lease_not_yet_valid"),

    /**
     * The clock is before the layout's epoch or past its last instant:
     * {@link TimestampOutOfRangeException}.
     */
    TIMESTAMP_OUT_OF_RANGE("timestamp_out_of_range");

    private final String tag;

    RefusalReason(String tag) {
        this.tag = tag;
    }

    /** A stable lower-case name, for metric tags and problem types. */
    public String tag() {
        return tag;
    }

}
