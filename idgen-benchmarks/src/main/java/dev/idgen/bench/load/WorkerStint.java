package dev.idgen.bench.load;

/**
 * A period in which a node issued ids under one worker id, as seen in the ids' own
 * timestamps.
 *
 * @param workerId the worker id
 * @param firstMillis Unix milliseconds of the earliest id timestamp of the stint
 * @param lastMillis Unix milliseconds of the latest id timestamp of the stint
 */
public record WorkerStint(int workerId, long firstMillis, long lastMillis) {

    boolean overlaps(WorkerStint other) {
        return firstMillis <= other.lastMillis && other.firstMillis <= lastMillis;
    }
}
