package dev.idgen.bench.load;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The outcome of a load run: throughput, latency, per-node behaviour and the verification
 * of every id.
 *
 * @param options what was run
 * @param elapsed from the first request to the last response
 * @param requests requests answered or failed, all nodes
 * @param ids ids received, all nodes
 * @param latency latency of successful requests
 * @param nodes per node, in URL order
 * @param verification what the id checks found
 */
public record LoadResult(LoadOptions options, Duration elapsed, long requests, long ids, Latency latency,
        List<NodeReport> nodes, Verification verification) {

    /**
     * Exit status of the command line tool: 0 verified, 1 violation, 3 nothing to verify.
     */
    public int exitCode() {
        if (!verification.passed()) {
            return 1;
        }
        return ids == 0 ? 3 : 0;
    }

    /** Whether ids were received and all of them passed every check. */
    public boolean passed() {
        return exitCode() == 0;
    }

    public double idsPerSecond() {
        return ids / seconds();
    }

    public double requestsPerSecond() {
        return requests / seconds();
    }

    private double seconds() {
        return Math.max(elapsed.toNanos(), 1) / 1e9;
    }

    /**
     * Latency percentiles of successful requests, in microseconds. The tool is a closed
     * loop (a loop waits for its response before the next request), so these are service
     * times under the offered concurrency, not latencies at a fixed arrival rate.
     */
    public record Latency(long count, long p50, long p90, long p99, long p999, long max) {
    }

    /** A human-readable report. */
    public String summary() {
        StringBuilder out = new StringBuilder();
        String endpoint = options.batch() == 0 ? "GET /ids" : "GET /ids/batch?count=" + options.batch();
        out.append(String.format(Locale.ROOT, "idgen load: %d node(s), concurrency %d, %.1f s, %s%n", nodes.size(),
                options.concurrency(), seconds(), endpoint));
        out.append(String.format(Locale.ROOT, "requests %,d (%,.0f/s)   ids %,d (%,.0f/s)%n", requests,
                requestsPerSecond(), ids, idsPerSecond()));
        out.append(String.format(Locale.ROOT,
                "latency of %,d successful requests (us): p50 %,d  p90 %,d  p99 %,d  p99.9 %,d  max %,d%n",
                latency.count(), latency.p50(), latency.p90(), latency.p99(), latency.p999(), latency.max()));
        out.append(String.format(Locale.ROOT, "%-4s %-28s %12s %12s %10s %12s %9s %11s  %s%n", "node", "url",
                "requests", "ids", "refused", "refusing ms", "errors", "failing ms", "worker ids (stints)"));
        for (int i = 0; i < nodes.size(); i++) {
            NodeReport node = nodes.get(i);
            out.append(String.format(Locale.ROOT, "%-4d %-28s %,12d %,12d %,10d %,12d %,9d %,11d  %s%n", i, node.url(),
                    node.requests(), node.ids(), node.refused(), node.refusingMillis(), node.errors(),
                    node.failingMillis(), stints(node.workerStints())));
            if (node.firstRefusalMillis() >= 0) {
                out.append(String.format(Locale.ROOT, "     refusals from +%,d ms to +%,d ms after start%n",
                        node.firstRefusalMillis(), node.lastRefusalMillis()));
            }
            if (!node.errorsByCause().isEmpty()) {
                out.append("     errors: ").append(node.errorsByCause()).append('\n');
            }
        }
        out.append(String.format(Locale.ROOT, "verification: %,d ids, %,d duplicates, violations %s -> %s%n",
                verification.ids(), verification.duplicates(),
                verification.violationCounts().isEmpty() ? "none" : verification.violationCounts(),
                passed() ? "PASSED" : ids == 0 ? "NOTHING VERIFIED (no ids received)" : "FAILED"));
        for (Violation violation : verification.violations()) {
            out.append("  ").append(violation).append('\n');
        }
        return out.toString();
    }

    private static String stints(List<WorkerStint> stints) {
        if (stints.isEmpty()) {
            return "-";
        }
        Map<Integer, Long> byWorker = stints.stream()
            .collect(Collectors.groupingBy(WorkerStint::workerId, java.util.TreeMap::new, Collectors.counting()));
        String workers = byWorker.keySet().stream().map(String::valueOf).collect(Collectors.joining(","));
        return workers + " (" + stints.size() + (stints.size() == 1 ? " stint)" : " stints)");
    }
}
