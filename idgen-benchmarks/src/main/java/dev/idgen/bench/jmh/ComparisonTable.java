package dev.idgen.bench.jmh;

import dev.idgen.core.IdLayout;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns one JMH run into the comparison table: percent of the layout's cap for the capped
 * benchmarks, nanoseconds per id for the uncapped ones, the metrics overhead, and the
 * ratio of ours to every peer measured in the same run.
 *
 * <p>
 * A ratio is ours / peer in ids per second at the same thread count (the batch is
 * compared with the peers' single-thread figures), so above 1.00x means idgen issued more
 * ids per second. A benchmark missing from the run (filtered out, or failed) leaves a
 * dash.
 */
public final class ComparisonTable {

    /** Share of the cap {@code nextId()} must reach, 1 and 2 threads. */
    static final double NEXT_ID_GOAL = 0.97;

    /** Share of the cap {@code nextIds(4096)} must reach. */
    static final double BATCH_GOAL = 0.99;

    /** Most nanoseconds one uncapped {@code nextId()} may cost on one thread. */
    static final double UNCAPPED_NANOS_GOAL = 20;

    private static final String CAPPED = "CappedLayoutBenchmarks.";

    private static final String UNCAPPED = "UncappedLayoutBenchmarks.";

    private record Peer(String label, String capped1, String capped2, String uncapped1, String uncapped2) {
        String benchmark(boolean uncapped, int threads) {
            if (uncapped) {
                return threads == 1 ? uncapped1 : uncapped2;
            }
            return threads == 1 ? capped1 : capped2;
        }
    }

    // UUID and TSID do not depend on the layout, so the uncapped comparison reuses their
    // capped runs.
    private static final List<Peer> PEERS = List.of(
            new Peer("UUID", CAPPED + "uuidRandomUUID", CAPPED + "uuidRandomUUID2Threads", CAPPED + "uuidRandomUUID",
                    CAPPED + "uuidRandomUUID2Threads"),
            new Peer("CosId", CAPPED + "cosidSnowflake", CAPPED + "cosidSnowflake2Threads", UNCAPPED + "cosidSnowflake",
                    UNCAPPED + "cosidSnowflake2Threads"),
            new Peer("TSID", CAPPED + "tsidFactory", CAPPED + "tsidFactory2Threads", CAPPED + "tsidFactory",
                    CAPPED + "tsidFactory2Threads"));

    private final Map<String, BenchmarkScore> scores = new LinkedHashMap<>();

    private final long cappedIdsPerSecond;

    /**
     * A table over these scores; the cap is that of the default layout, which the capped
     * benchmarks use.
     */
    public ComparisonTable(Collection<BenchmarkScore> scores) {
        for (BenchmarkScore score : scores) {
            this.scores.put(score.benchmark(), score);
        }
        this.cappedIdsPerSecond = IdLayout.defaults().idsPerSecondPerWorker();
    }

    /** Every goal that was measured and met; false if any was missed or not measured. */
    public boolean allGoalsMet() {
        return goals().values().stream().allMatch(Boolean.TRUE::equals);
    }

    /** Goal name to met (true), missed (false) or not measured (null). */
    public Map<String, @Nullable Boolean> goals() {
        Map<String, @Nullable Boolean> goals = new LinkedHashMap<>();
        goals.put("nextId() 1 thread >= 97% of cap", capShareAtLeast(CAPPED + "idgenNextId", NEXT_ID_GOAL));
        goals.put("nextId() 2 threads >= 97% of cap", capShareAtLeast(CAPPED + "idgenNextId2Threads", NEXT_ID_GOAL));
        goals.put("nextIds(4096) >= 99% of cap", capShareAtLeast(CAPPED + "idgenNextIds4096", BATCH_GOAL));
        BenchmarkScore uncapped = scores.get(UNCAPPED + "idgenNextId");
        goals.put("uncapped nextId() <= 20 ns/id",
                uncapped == null ? null : uncapped.nanosPerIdPerThread() <= UNCAPPED_NANOS_GOAL);
        goals.put("metrics overhead within noise, 1 thread",
                metricsInvisible(UNCAPPED + "idgenNextId", UNCAPPED + "idgenNextIdMetered"));
        goals.put("metrics overhead within noise, 2 threads",
                metricsInvisible(UNCAPPED + "idgenNextId2Threads", UNCAPPED + "idgenNextIdMetered2Threads"));
        return goals;
    }

    private @Nullable Boolean capShareAtLeast(String benchmark, double share) {
        BenchmarkScore score = scores.get(benchmark);
        return score == null ? null : score.idsPerSecond() >= share * cappedIdsPerSecond;
    }

    /**
     * Invisible means the metered cost exceeds the plain cost by no more than the two
     * confidence half-widths together: the difference cannot be told from run-to-run
     * noise.
     */
    private @Nullable Boolean metricsInvisible(String off, String on) {
        BenchmarkScore plain = scores.get(off);
        BenchmarkScore metered = scores.get(on);
        if (plain == null || metered == null) {
            return null;
        }
        double delta = metered.nanosPerIdPerThread() - plain.nanosPerIdPerThread();
        double noise = nanosError(plain) + nanosError(metered);
        return delta <= (Double.isNaN(noise) ? 0 : noise);
    }

    private static double nanosError(BenchmarkScore score) {
        return score.nanosPerIdPerThread() * score.relativeError();
    }

    /** The whole table as text. */
    public String render(String metricsListener) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n== Capped layout 41/10/12: cap %,d ids/s per worker ==%n",
                cappedIdsPerSecond));
        String cappedHeader = String.format(Locale.ROOT, "%-26s %3s %14s %8s %9s %-13s", "benchmark", "thr", "ids/s",
                "+-err", "% of cap", "goal");
        out.append(cappedHeader).append(peerHeader()).append('\n');
        cappedRow(out, "idgen nextId()", CAPPED + "idgenNextId", 1, NEXT_ID_GOAL, true);
        cappedRow(out, "idgen nextId()", CAPPED + "idgenNextId2Threads", 2, NEXT_ID_GOAL, true);
        cappedRow(out, "idgen nextIds(4096) per id", CAPPED + "idgenNextIds4096", 1, BATCH_GOAL, true);
        for (Peer peer : PEERS) {
            for (int threads = 1; threads <= 2; threads++) {
                cappedRow(out, peerLabel(peer, false), peer.benchmark(false, threads), threads, Double.NaN,
                        peer.label().equals("CosId"));
            }
        }

        out.append(String.format(Locale.ROOT, "%n== Uncapped layout 41/0/22: CPU cost per id ==%n"));
        out.append(String.format(Locale.ROOT, "%-26s %3s %14s %8s %14s %-13s", "benchmark", "thr", "ns/id/thread",
                "+-err", "ids/s", "goal"))
            .append(peerHeader())
            .append('\n');
        uncappedRow(out, "idgen nextId()", UNCAPPED + "idgenNextId", 1, true);
        uncappedRow(out, "idgen nextId()", UNCAPPED + "idgenNextId2Threads", 2, false);
        uncappedRow(out, "idgen nextIds(4096) per id", UNCAPPED + "idgenNextIds4096", 1, false);
        uncappedRow(out, "idgen nextId() metrics on", UNCAPPED + "idgenNextIdMetered", 1, false);
        uncappedRow(out, "idgen nextId() metrics on", UNCAPPED + "idgenNextIdMetered2Threads", 2, false);
        for (Peer peer : PEERS) {
            for (int threads = 1; threads <= 2; threads++) {
                uncappedRow(out, peerLabel(peer, true), peer.benchmark(true, threads), threads, false);
            }
        }

        out.append(String.format(Locale.ROOT, "%n== Metrics listener overhead (uncapped layout) ==%n"));
        out.append("metrics on = ").append(metricsListener).append('\n');
        out.append(String.format(Locale.ROOT, "%3s %12s %12s %12s %9s %12s %-6s%n", "thr", "off ns/id", "on ns/id",
                "delta ns", "delta %", "noise ns", "goal"));
        overheadRow(out, 1, UNCAPPED + "idgenNextId", UNCAPPED + "idgenNextIdMetered");
        overheadRow(out, 2, UNCAPPED + "idgenNextId2Threads", UNCAPPED + "idgenNextIdMetered2Threads");

        out.append(String.format(Locale.ROOT, "%n== Goals ==%n"));
        goals().forEach((goal, met) -> out.append(
                String.format(Locale.ROOT, "%-45s %s%n", goal, met == null ? "NOT MEASURED" : met ? "PASS" : "FAIL")));
        out.append(String.format(Locale.ROOT,
                "%nRatios are ours / peer in ids/s at the same thread count (batch vs 1 thread); >1.00x = idgen faster.%n"
                        + "TSID does not wait when its counter overflows: it moves its timestamp ahead, so it is not capped.%n"));
        return out.toString();
    }

    private static String peerLabel(Peer peer, boolean uncapped) {
        return switch (peer.label()) {
            case "UUID" -> "UUID.randomUUID()";
            case "CosId" -> uncapped ? "CosId Snowflake 41/0/22" : "CosId Snowflake 41/10/12";
            default -> "TSID TsidFactory";
        };
    }

    private static String peerHeader() {
        StringBuilder header = new StringBuilder();
        for (Peer peer : PEERS) {
            header.append(String.format(Locale.ROOT, " %9s", "vs " + peer.label()));
        }
        return header.toString();
    }

    /**
     * {@code sameCap}: the generator has the 41/10/12 cap, so its share of it means
     * something.
     */
    private void cappedRow(StringBuilder out, String label, String benchmark, int threads, double goal,
            boolean sameCap) {
        BenchmarkScore score = scores.get(benchmark);
        if (score == null) {
            out.append(String.format(Locale.ROOT, "%-26s %3d %14s%n", label, threads, "-"));
            return;
        }
        double ids = score.idsPerSecond();
        double share = ids / cappedIdsPerSecond;
        String goalText = Double.isNaN(goal) ? ""
                : String.format(Locale.ROOT, ">=%.0f%% %s", goal * 100, share >= goal ? "PASS" : "FAIL");
        out.append(String.format(Locale.ROOT, "%-26s %3d %,14.0f %8s %9s %-13s", label, threads, ids,
                percent(score.relativeError()), sameCap ? percent(share) : "n/a", goalText));
        if (!Double.isNaN(goal)) {
            appendRatios(out, ids, false, threads);
        }
        out.append('\n');
    }

    private void uncappedRow(StringBuilder out, String label, String benchmark, int threads, boolean nanosGoal) {
        BenchmarkScore score = scores.get(benchmark);
        if (score == null) {
            out.append(String.format(Locale.ROOT, "%-26s %3d %14s%n", label, threads, "-"));
            return;
        }
        double nanos = score.nanosPerIdPerThread();
        String goalText = nanosGoal ? String.format(Locale.ROOT, "<=%.0fns %s", UNCAPPED_NANOS_GOAL,
                nanos <= UNCAPPED_NANOS_GOAL ? "PASS" : "FAIL") : "";
        out.append(String.format(Locale.ROOT, "%-26s %3d %14.2f %8s %,14.0f %-13s", label, threads, nanos,
                percent(score.relativeError()), score.idsPerSecond(), goalText));
        if (label.startsWith("idgen")) {
            appendRatios(out, score.idsPerSecond(), true, threads);
        }
        out.append('\n');
    }

    private void appendRatios(StringBuilder out, double ours, boolean uncapped, int threads) {
        for (Peer peer : PEERS) {
            BenchmarkScore theirs = scores.get(peer.benchmark(uncapped, threads));
            out.append(theirs == null ? String.format(Locale.ROOT, " %9s", "-")
                    : String.format(Locale.ROOT, " %8.2fx", ours / theirs.idsPerSecond()));
        }
    }

    private void overheadRow(StringBuilder out, int threads, String off, String on) {
        BenchmarkScore plain = scores.get(off);
        BenchmarkScore metered = scores.get(on);
        if (plain == null || metered == null) {
            out.append(String.format(Locale.ROOT, "%3d %12s%n", threads, "-"));
            return;
        }
        double delta = metered.nanosPerIdPerThread() - plain.nanosPerIdPerThread();
        double noise = nanosError(plain) + nanosError(metered);
        Boolean met = metricsInvisible(off, on);
        out.append(String.format(Locale.ROOT, "%3d %12.2f %12.2f %+12.2f %+8.1f%% %12.2f %-6s%n", threads,
                plain.nanosPerIdPerThread(), metered.nanosPerIdPerThread(), delta,
                delta / plain.nanosPerIdPerThread() * 100, noise, Boolean.TRUE.equals(met) ? "PASS" : "FAIL"));
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

}
