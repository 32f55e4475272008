package dev.idgen.zookeeper.simulation;

import dev.idgen.core.RefusalReason;
import java.util.List;
import java.util.Map;

/**
 * What one seed's run found.
 *
 * @param seed the seed that replays it
 * @param ids how many ids were issued
 * @param duplicates how many of them had been issued before
 * @param overlaps how many claims of a worker id overlapped an earlier claim's
 * timestamps: each a duplicate under dense load
 * @param violations every broken invariant, with its simulated time (empty when the run
 * is clean)
 * @param recoveries per node, how long after the faults healed it issued again, in
 * simulated nanoseconds (nodes whose clock jumped far ahead apart)
 * @param farAhead nodes whose clock was once stepped a minute or more ahead
 * @param farAheadRecovered how many of those issued again within the heal phase
 * @param refusals refused calls by reason
 * @param trace the last faults and state changes, for a failure report
 * @param failure an exception the simulation itself threw, or {@code null}
 */
record SimulationResult(long seed, long ids, long duplicates, long overlaps, List<String> violations,
        List<Long> recoveries, int farAhead, int farAheadRecovered, Map<RefusalReason, Long> refusals,
        List<String> trace, Throwable failure) {

    boolean clean() {
        return violations.isEmpty() && failure == null;
    }

    /**
     * The report printed for a failing seed: how to replay it, what broke, and the events
     * leading up to it.
     */
    String report() {
        StringBuilder text = new StringBuilder();
        text.append("seed ")
            .append(seed)
            .append(clean() ? " clean, " + ids + " ids" : " failed")
            .append(" (replay: idgen-zookeeper/simulate.sh replay ")
            .append(seed)
            .append(")\n");
        violations.forEach(violation -> text.append("  ").append(violation).append('\n'));
        text.append("last events:\n");
        trace.forEach(line -> text.append("  ").append(line).append('\n'));
        return text.toString();
    }
}
