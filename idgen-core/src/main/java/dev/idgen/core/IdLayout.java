package dev.idgen.core;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * How a 64-bit id is cut into {@code timestamp | worker id | sequence}.
 *
 * <p>
 * The three widths always add up to 63, so the sign bit is never set and every id is a
 * positive {@code long}. The timestamp counts whole milliseconds since {@link #epoch()}.
 * Because the timestamp occupies the high bits, numeric order of ids is time order.
 * Instances are immutable and validated on creation: an invalid layout fails fast with a
 * message naming the value and the allowed range.
 */
public final class IdLayout {

    /** Bits every layout spends: 64 minus the sign bit. */
    public static final int TOTAL_BITS = 63;

    /**
     * 2020-01-01T00:00:00Z, the default epoch (1577836800000 ms since the Unix epoch).
     */
    public static final Instant DEFAULT_EPOCH = Instant.ofEpochMilli(1_577_836_800_000L);

    /** Allowed width of the worker-id field: a worker id must fit an {@code int}. */
    public static final int MAX_WORKER_ID_BITS = 31;

    /** Allowed width of the sequence field: a sequence must fit an {@code int}. */
    public static final int MAX_SEQUENCE_BITS = 31;

    private static final IdLayout DEFAULT = new IdLayout(DEFAULT_EPOCH, 41, 10, 12);

    private final Instant epoch;

    private final long epochMillis;

    private final int timestampBits;

    private final int workerIdBits;

    private final int sequenceBits;

    private final long maxTimestamp;

    private final int maxWorkerId;

    private final int maxSequence;

    private final int workerIdShift;

    private final int timestampShift;

    private IdLayout(Instant epoch, int timestampBits, int workerIdBits, int sequenceBits) {
        Objects.requireNonNull(epoch, "epoch");
        checkRange("workerIdBits", workerIdBits, 0, MAX_WORKER_ID_BITS);
        checkRange("sequenceBits", sequenceBits, 0, MAX_SEQUENCE_BITS);
        checkRange("timestampBits", timestampBits, 1, TOTAL_BITS);
        if (timestampBits + workerIdBits + sequenceBits != TOTAL_BITS) {
            throw new IllegalArgumentException("timestampBits + workerIdBits + sequenceBits must be " + TOTAL_BITS
                    + " (so every id is a positive long), but was " + timestampBits + " + " + workerIdBits + " + "
                    + sequenceBits + " = " + (timestampBits + workerIdBits + sequenceBits));
        }
        if (!epoch.truncatedTo(ChronoUnit.MILLIS).equals(epoch)) {
            throw new IllegalArgumentException("epoch must be a whole millisecond, but was " + epoch);
        }
        if (epoch.isBefore(Instant.EPOCH)) {
            throw new IllegalArgumentException("epoch must be at or after 1970-01-01T00:00:00Z, but was " + epoch);
        }
        this.epoch = epoch;
        this.epochMillis = epoch.toEpochMilli();
        this.timestampBits = timestampBits;
        this.workerIdBits = workerIdBits;
        this.sequenceBits = sequenceBits;
        this.maxTimestamp = (1L << timestampBits) - 1;
        this.maxWorkerId = (int) ((1L << workerIdBits) - 1);
        this.maxSequence = (int) ((1L << sequenceBits) - 1);
        this.workerIdShift = sequenceBits;
        this.timestampShift = sequenceBits + workerIdBits;
        if (Long.MAX_VALUE - epochMillis < maxTimestamp) {
            throw new IllegalArgumentException("epoch " + epoch + " plus " + timestampBits
                    + " timestamp bits of milliseconds overflows a long; use an earlier epoch or fewer timestamp bits");
        }
    }

    /**
     * The default layout: epoch 2020-01-01T00:00:00Z, 41 timestamp, 10 worker-id and 12
     * sequence bits.
     */
    public static IdLayout defaults() {
        return DEFAULT;
    }

    /**
     * A layout with the given epoch and widths.
     * @throws IllegalArgumentException if a width is outside its range, the widths do not
     * add up to 63, or the epoch is not a whole millisecond at or after 1970
     */
    public static IdLayout of(Instant epoch, int timestampBits, int workerIdBits, int sequenceBits) {
        return new IdLayout(epoch, timestampBits, workerIdBits, sequenceBits);
    }

    private static void checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", but was " + value);
        }
    }

    /** Composes an id; every argument must be within this layout's limits. */
    public long compose(long timestamp, int workerId, int sequence) {
        if (timestamp < 0 || timestamp > maxTimestamp) {
            throw new IllegalArgumentException(
                    "timestamp must be between 0 and " + maxTimestamp + ", but was " + timestamp);
        }
        checkWorkerId(workerId);
        if (sequence < 0 || sequence > maxSequence) {
            throw new IllegalArgumentException(
                    "sequence must be between 0 and " + maxSequence + ", but was " + sequence);
        }
        return composeUnchecked(timestamp, workerId, sequence);
    }

    /** Hot-path composition; callers guarantee the ranges. */
    long composeUnchecked(long timestamp, long workerId, long sequence) {
        return (timestamp << timestampShift) | (workerId << workerIdShift) | sequence;
    }

    /**
     * Checks a worker id against this layout.
     * @throws IllegalArgumentException naming the allowed range when it is outside it
     */
    public void checkWorkerId(int workerId) {
        if (workerId < 0 || workerId > maxWorkerId) {
            throw new IllegalArgumentException("workerId must be between 0 and " + maxWorkerId + " for " + workerIdBits
                    + " worker-id bits, but was " + workerId);
        }
    }

    /**
     * Splits an id into its parts.
     * @throws IllegalArgumentException if the id is negative (no layout produces one)
     */
    public IdParts parse(long id) {
        if (id < 0) {
            throw new IllegalArgumentException("id must not be negative, but was " + id);
        }
        long timestamp = timestampOf(id);
        int workerId = (int) ((id >>> workerIdShift) & maxWorkerId);
        int sequence = (int) (id & maxSequence);
        return new IdParts(id, Instant.ofEpochMilli(epochMillis + timestamp), timestamp, workerId, sequence);
    }

    /** Timestamp field of an id: milliseconds since {@link #epoch()}. */
    public long timestampOf(long id) {
        return id >>> timestampShift;
    }

    /** Unix milliseconds of the given timestamp field value. */
    public long toUnixMillis(long timestamp) {
        return epochMillis + timestamp;
    }

    public Instant epoch() {
        return epoch;
    }

    public long epochMillis() {
        return epochMillis;
    }

    public int timestampBits() {
        return timestampBits;
    }

    public int workerIdBits() {
        return workerIdBits;
    }

    public int sequenceBits() {
        return sequenceBits;
    }

    /** Largest timestamp field value, in milliseconds since the epoch. */
    public long maxTimestamp() {
        return maxTimestamp;
    }

    public int maxWorkerId() {
        return maxWorkerId;
    }

    public int maxSequence() {
        return maxSequence;
    }

    /** Ids one worker can issue per millisecond: the sequence space. */
    public long idsPerMillisecondPerWorker() {
        return (long) maxSequence + 1;
    }

    /** Ids one worker can issue per second at most: the physical cap of this layout. */
    public long idsPerSecondPerWorker() {
        return idsPerMillisecondPerWorker() * 1000;
    }

    /**
     * The last instant whose ids this layout can represent; ids after it cannot be
     * issued.
     */
    public Instant lastInstant() {
        return Instant.ofEpochMilli(epochMillis + maxTimestamp);
    }

    /** How long the timestamp space lasts from the epoch. */
    public Duration lifetime() {
        return Duration.ofMillis(maxTimestamp + 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdLayout other && epochMillis == other.epochMillis && timestampBits == other.timestampBits
                && workerIdBits == other.workerIdBits && sequenceBits == other.sequenceBits;
    }

    @Override
    public int hashCode() {
        return Objects.hash(epochMillis, timestampBits, workerIdBits, sequenceBits);
    }

    @Override
    public String toString() {
        return "IdLayout[epoch=" + epoch + ", timestampBits=" + timestampBits + ", workerIdBits=" + workerIdBits
                + ", sequenceBits=" + sequenceBits + "]";
    }

}
