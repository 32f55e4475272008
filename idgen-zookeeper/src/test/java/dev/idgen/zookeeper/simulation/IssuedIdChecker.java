package dev.idgen.zookeeper.simulation;

import dev.idgen.core.IdLayout;
import dev.idgen.core.IdParts;
import dev.idgen.core.RefusalReason;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches every id of a simulation as it is issued: no id twice across all nodes and lives; each life's
 * ids strictly increasing; no two lives in the same millisecond of the same worker id (under dense load
 * that is a duplicate, not luck: both would start that millisecond's sequence at 0); every refusal one of
 * the documented reasons.
 */
final class IssuedIdChecker {

    private final IdLayout layout;
    private final Map<Long, String> issuedBy = new HashMap<>();
    private final Map<Long, String> millisecondOwner = new HashMap<>();
    private final Map<String, Long> lastOfLife = new HashMap<>();
    private final Map<RefusalReason, Long> refusals = new EnumMap<>(RefusalReason.class);
    private final List<String> violations = new ArrayList<>();
    private long ids;
    private long highestMillis = Long.MIN_VALUE;
    private long duplicates;

    private final long originNanos;

    IssuedIdChecker(IdLayout layout, long originNanos) {
        this.layout = layout;
        this.originNanos = originNanos;
    }

    void issued(String life, long id, long atNanos) {
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
        long key = ((long) parts.workerId() << 44) | parts.timestampField();
        String owner = millisecondOwner.putIfAbsent(key, life);
        if (owner != null && !owner.equals(life)) {
            violation(atNanos, life + " and " + owner + " both issued on worker id " + parts.workerId() + " at "
                    + parts.timestamp());
        }
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
