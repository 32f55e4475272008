package dev.idgen.zookeeper;

import java.io.IOException;

/**
 * This node's durable record of the highest timestamp it reserved for each worker id: a
 * floor under every claim it makes, which holds even when the coordination store has lost
 * its data.
 */
public interface ReservationLog {

    /**
     * The highest timestamp recorded for {@code workerId}, or {@link Long#MIN_VALUE} when
     * none is.
     */
    long floor(int workerId);

    /**
     * Records {@code until} for {@code workerId} durably before returning; never lowers
     * the record.
     */
    void record(int workerId, long until) throws IOException;

    /**
     * Records the final reservation of a release, which may be lower than the record: it
     * covers every id this node issued on {@code workerId}, so a graceful restart need
     * not wait out the lead.
     */
    void released(int workerId, long finalUntil) throws IOException;

    /** No record at all: the store alone guards hand-over. */
    ReservationLog NONE = new ReservationLog() {

        @Override
        public long floor(int workerId) {
            return Claim.NO_RESERVATION;
        }

        @Override
        public void record(int workerId, long until) {
        }

        @Override
        public void released(int workerId, long finalUntil) {
        }
    };

}
