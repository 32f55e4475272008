package dev.idgen.core;

import java.time.Instant;

/**
 * The parts of one id, as read back by {@link IdLayout#parse(long)}.
 *
 * @param id the id itself
 * @param timestamp when the id was issued, to the millisecond
 * @param timestampField the raw timestamp field: milliseconds since the layout's epoch
 * @param workerId the worker that issued it
 * @param sequence its position within that worker's millisecond
 */
public record IdParts(long id, Instant timestamp, long timestampField, int workerId, int sequence) {

    /** Unix milliseconds of {@link #timestamp()}. */
    public long epochMillis() {
        return timestamp.toEpochMilli();
    }
}
