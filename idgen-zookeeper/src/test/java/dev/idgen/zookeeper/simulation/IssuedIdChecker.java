package dev.idgen.zookeeper.simulation;

import dev.idgen.core.IdLayout;
import dev.idgen.core.IdParts;
import dev.idgen.core.RefusalReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches every id of a simulation as it is issued: no id twice across all nodes and
 * lives; each life's ids strictly increasing; every refusal one of the documented
 * reasons; and the check that makes sparse issuing as sharp as dense load: per worker id,
 * the timestamp ranges of different claims never overlap.
 *
 * <p>
 * A claim's stint is every id one life issued on one worker id under one claim (one
 * {@code notBefore}). The protocol promises that a claim starts strictly after everything
 * an earlier claim of the same worker id could issue, so the stints of a worker id,
 * ordered by their first timestamp, must each end before the next begins. Two overlapping
 * stints would have issued the same id had every millisecond been in use: that is a
 * duplicate, whether or not this run's sparse ids happened to collide.
 */
final class IssuedIdChecker {

    private final IdLayout layout;

    private final Map<Long, String> issuedBy = new HashMap<>();

    private final Map<Stint, long[]> stints = new HashMap<>();

    private final Map<String, Long> lastOfLife = new HashMap<>();

    private final Map<RefusalReason, Long> refusals = new EnumMap<>(RefusalReason.class);

    private final List<String> violations = new ArrayList<>();

    private long ids;

    private long highestMillis = Long.MIN_VALUE;

    private long duplicates;

    private long overlaps;

    private final long originNanos;

    IssuedIdChecker(IdLayout layout, long originNanos) {
        this.layout = layout;
        this.originNanos = originNanos;
    }

    /** One claim's ids: one life, one worker id, one {@code notBefore}. */
    record Stint(String life, int workerId, long notBefore) {
    }

    void issued(String life, long id, long notBefore, long atNanos) {
        ids++;
        IdParts parts = layout.parse(id);
        highestMillis = Math.max(highestMillis, parts.epochMillis());
        String earlier = issuedBy.putIfAbsent(id, life);
        if (earlier != null) {
            duplicates++;
            violation(atNanos, "duplicate id " + id + " " + parts + " issued by " + life + ", already by " + earlier);
        }
        Long previous = lastOfLife.put(life, id);
        if (previous != null && id <= previous) {
            violation(atNanos, life + " issued " + id + " after " + previous + ": not increasing");
        }
        long millis = parts.epochMillis();
        long[] range = stints.computeIfAbsent(new Stint(life, parts.workerId(), notBefore),
                stint -> new long[] { millis, millis });
        range[0] = Math.min(range[0], millis);
        range[1] = Math.max(range[1], millis);
    }

    /**
     * Checks, once every id is in, that the stints of each worker id do not overlap in
     * time.
     */
    void checkStints(long atNanos) {
        Map<Integer, List<Map.Entry<Stint, long[]>>> byWorker = new HashMap<>();
        for (Map.Entry<Stint, long[]> entry : stints.entrySet()) {
            byWorker.computeIfAbsent(entry.getKey().workerId(), worker -> new ArrayList<>()).add(entry);
        }
        for (List<Map.Entry<Stint, long[]>> ofWorker : byWorker.values()) {
            ofWorker.sort(Map.Entry.comparingByValue((a, b) -> Long.compare(a[0], b[0])));
            // One life's own claims cannot overlap (its generator only goes up, checked
            // per id), and two of
            // them may share a key when both started with no reservation: compare
            // different lives only.
            for (int i = 0; i < ofWorker.size(); i++) {
                Map.Entry<Stint, long[]> after = ofWorker.get(i);
                for (int j = 0; j < i; j++) {
                    Map.Entry<Stint, long[]> before = ofWorker.get(j);
                    if (!before.getKey().life().equals(after.getKey().life())
                            && after.getValue()[0] <= before.getValue()[1]) {
                        overlaps++;
                        violation(atNanos, "on worker id " + after.getKey().workerId() + ", " + after.getKey().life()
                                + " issued from " + Instant.ofEpochMilli(after.getValue()[0]) + " while "
                                + before.getKey().life() + " had issued up to "
                                + Instant.ofEpochMilli(before.getValue()[1]) + ": under dense load a duplicate");
                    }
                }
            }
        }
    }

    /**
     * Claims of one worker id whose timestamps overlapped: duplicates under dense load.
     */
    long overlaps() {
        return overlaps;
    }

    void refused(RefusalReason reason) {
        refusals.merge(reason, 1L, Long::sum);
    }

    void violation(long atNanos, String what) {
        if (violations.size() < 20) {
            violations.add(String.format("t=%.3fs %s", (atNanos - originNanos) / 1e9, what));
        }
        else if (violations.size() == 20) {
            violations.add("…");
        }
    }

    /** The highest timestamp issued so far, by any node (Unix milliseconds). */
    long highestMillis() {
        return highestMillis;
    }

    long ids() {
        return ids;
    }

    long duplicates() {
        return duplicates;
    }

    List<String> violations() {
        return violations;
    }

    Map<RefusalReason, Long> refusals() {
        return refusals;
    }

}
