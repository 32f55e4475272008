package dev.idgen.zookeeper;

/**
 * One claim of a worker id by one session: the ephemeral claim node it created, and the
 * reservation it keeps. The mutable fields are touched by the coordinator lane only.
 */
final class Claim {

    /** The reservation value of a worker id that was never reserved. */
    static final long NO_RESERVATION = Long.MIN_VALUE;

    final int workerId;

    final String path;

    final long sessionId;

    final long czxid;

    final int claimVersion;

    /**
     * The fence's epoch when the claim began: a claim from an older epoch was lost
     * meanwhile.
     */
    final long epoch;

    final long sinceMillis;

    /** The previous holder's reservation: this claim issues strictly after it. */
    long notBefore = NO_RESERVATION;

    /** The highest timestamp this claim may issue, as accepted by the store. */
    long reservedUntil = NO_RESERVATION;

    int reservationVersion;

    Claim(int workerId, String path, long sessionId, long czxid, int claimVersion, long epoch, long sinceMillis) {
        this.workerId = workerId;
        this.path = path;
        this.sessionId = sessionId;
        this.czxid = czxid;
        this.claimVersion = claimVersion;
        this.epoch = epoch;
        this.sinceMillis = sinceMillis;
    }

    /**
     * Identifies this claim in the reservation it writes, to recognise our own writes
     * after a retry.
     */
    String token() {
        return Long.toHexString(sessionId) + ":" + Long.toHexString(czxid);
    }

    boolean reserved() {
        return reservedUntil != NO_RESERVATION;
    }

    @Override
    public String toString() {
        return "Claim[worker=" + workerId + ", session=0x" + Long.toHexString(sessionId) + ", notBefore=" + notBefore
                + ", reservedUntil=" + reservedUntil + "]";
    }

}
