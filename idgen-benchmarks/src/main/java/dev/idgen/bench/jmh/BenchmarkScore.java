package dev.idgen.bench.jmh;

import java.util.Objects;

/**
 * One JMH result, reduced to what the comparison table needs.
 *
 * @param benchmark simple class name and method, e.g.
 * {@code CappedLayoutBenchmarks.idgenNextId}
 * @param threads threads that ran it together
 * @param score the primary score, in {@code unit}
 * @param error the 99.9% confidence half-width, in {@code unit} ({@code NaN} when JMH has
 * too few samples)
 * @param unit JMH's unit: {@code ops/<time>} for throughput, {@code <time>/op} for
 * average time
 */
public record BenchmarkScore(String benchmark, int threads, double score, double error, String unit) {

    public BenchmarkScore {
        Objects.requireNonNull(benchmark, "benchmark");
        Objects.requireNonNull(unit, "unit");
    }

    /** Ids per second across all threads, whichever mode produced the score. */
    public double idsPerSecond() {
        if (unit.startsWith("ops/")) {
            return score * perSecond(unit.substring(4));
        }
        if (unit.endsWith("/op")) {
            double secondsPerOp = score / perSecond(unit.substring(0, unit.length() - 3));
            return threads / secondsPerOp;
        }
        throw new IllegalArgumentException("unknown JMH unit " + unit);
    }

    /**
     * Nanoseconds one thread spends per id (average time per call, as JMH reports it).
     */
    public double nanosPerIdPerThread() {
        return threads * 1e9 / idsPerSecond();
    }

    /** The error as a fraction of the score, or {@code NaN}. */
    public double relativeError() {
        return error / score;
    }

    private static double perSecond(String timeUnit) {
        return switch (timeUnit) {
            case "s" -> 1;
            case "ms" -> 1e3;
            case "us" -> 1e6;
            case "ns" -> 1e9;
            default -> throw new IllegalArgumentException("unknown JMH time unit " + timeUnit);
        };
    }
}
