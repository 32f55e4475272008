package dev.idgen.bench.load;

import java.util.List;
import java.util.Map;

/**
 * What {@link IdVerifier#verify()} found.
 *
 * @param ids ids received in all
 * @param duplicates ids received again after their first receipt (an id seen three times
 * counts 2)
 * @param violationCounts every violation, counted by kind (a duplicate counts once per
 * distinct id here)
 * @param violations the first {@value IdVerifier#DETAILS_PER_KIND} violations of each
 * kind, with details
 * @param stintsByNode per node (in URL order), the worker ids it issued under, in
 * timestamp order
 */
public record Verification(long ids, long duplicates, Map<Violation.Kind, Long> violationCounts,
        List<Violation> violations, List<List<WorkerStint>> stintsByNode) {

    /** Whether no rule was broken. */
    public boolean passed() {
        return violationCounts.isEmpty();
    }

    /** Violations of one kind. */
    public long count(Violation.Kind kind) {
        return violationCounts.getOrDefault(kind, 0L);
    }
}
