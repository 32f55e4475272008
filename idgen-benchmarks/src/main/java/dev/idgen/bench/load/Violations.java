package dev.idgen.bench.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Counts every violation, keeps the details of the first few of each kind. Not
 * thread-safe.
 */
final class Violations {

    private final Map<Violation.Kind, Long> counts = new EnumMap<>(Violation.Kind.class);

    private final Map<Violation.Kind, List<Violation>> details = new EnumMap<>(Violation.Kind.class);

    void add(Violation violation) {
        counts.merge(violation.kind(), 1L, Long::sum);
        List<Violation> kept = details.computeIfAbsent(violation.kind(), k -> new ArrayList<>());
        if (kept.size() < IdVerifier.DETAILS_PER_KIND) {
            kept.add(violation);
        }
    }

    void addAll(Violations other) {
        other.counts.forEach((kind, count) -> counts.merge(kind, count, Long::sum));
        other.details.forEach((kind, list) -> {
            List<Violation> kept = details.computeIfAbsent(kind, k -> new ArrayList<>());
            for (Violation violation : list) {
                if (kept.size() < IdVerifier.DETAILS_PER_KIND) {
                    kept.add(violation);
                }
            }
        });
    }

    Map<Violation.Kind, Long> counts() {
        return Collections.unmodifiableMap(new EnumMap<>(counts));
    }

    List<Violation> details() {
        List<Violation> all = new ArrayList<>();
        details.values().forEach(all::addAll);
        return List.copyOf(all);
    }

}
