package dev.idgen.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTableTests {

    private static BenchmarkScore thrpt(String name, int threads, double opsPerSecond) {
        return new BenchmarkScore(name, threads, opsPerSecond, opsPerSecond * 0.01, "ops/s");
    }

    private static BenchmarkScore avgt(String name, int threads, double nanos, double error) {
        return new BenchmarkScore(name, threads, nanos, error, "ns/op");
    }

    private static List<BenchmarkScore> run(double nextId, double meteredNanos) {
        return List.of(thrpt("CappedLayoutBenchmarks.idgenNextId", 1, nextId),
                thrpt("CappedLayoutBenchmarks.idgenNextId2Threads", 2, 4_000_000),
                thrpt("CappedLayoutBenchmarks.idgenNextIds4096", 1, 4_060_000),
                thrpt("CappedLayoutBenchmarks.uuidRandomUUID", 1, 2_000_000),
                thrpt("CappedLayoutBenchmarks.uuidRandomUUID2Threads", 2, 1_000_000),
                thrpt("CappedLayoutBenchmarks.cosidSnowflake", 1, 4_096_000),
                thrpt("CappedLayoutBenchmarks.cosidSnowflake2Threads", 2, 3_000_000),
                thrpt("CappedLayoutBenchmarks.tsidFactory", 1, 10_000_000),
                thrpt("CappedLayoutBenchmarks.tsidFactory2Threads", 2, 8_000_000),
                avgt("UncappedLayoutBenchmarks.idgenNextId", 1, 10, 0.5),
                avgt("UncappedLayoutBenchmarks.idgenNextId2Threads", 2, 40, 1),
                avgt("UncappedLayoutBenchmarks.idgenNextIds4096", 1, 1, 0.1),
                avgt("UncappedLayoutBenchmarks.idgenNextIdMetered", 1, meteredNanos, 0.5),
                avgt("UncappedLayoutBenchmarks.idgenNextIdMetered2Threads", 2, 40.5, 1),
                avgt("UncappedLayoutBenchmarks.cosidSnowflake", 1, 20, 1),
                avgt("UncappedLayoutBenchmarks.cosidSnowflake2Threads", 2, 80, 1));
    }

    @Test
    void averageTimeIsConvertedToIdsPerSecondAcrossAllThreads() {
        assertThat(avgt("x", 1, 10, 0).idsPerSecond()).isCloseTo(100_000_000, within(1.0));
        assertThat(avgt("x", 2, 40, 0).idsPerSecond()).isCloseTo(50_000_000, within(1.0));
        assertThat(new BenchmarkScore("x", 1, 2, 0, "us/op").nanosPerIdPerThread()).isCloseTo(2000, within(1e-6));
        assertThat(new BenchmarkScore("x", 1, 5, 0, "ops/ms").idsPerSecond()).isCloseTo(5000, within(1e-6));
    }

    @Test
    void printsShareOfTheCapAndRatiosAgainstPeersAtTheSameThreadCount() {
        String table = new ComparisonTable(run(4_000_000, 10.2)).render("test listener");

        // 4,000,000 / 4,096,000 = 97.7%; vs UUID 2.00x, vs CosId 0.98x, vs TSID 0.40x
        assertThat(table)
            .containsPattern("idgen nextId\\(\\) +1 +4,000,000 +1\\.0% +97\\.7% >=97% PASS +2\\.00x +0\\.98x +0\\.40x");
        // 2 threads compared with the peers' 2-thread runs: 4.00x, 1.33x, 0.50x
        assertThat(table).containsPattern("idgen nextId\\(\\) +2 +4,000,000 .* 4\\.00x +1\\.33x +0\\.50x");
        // uncapped: 10 ns/id = 100M ids/s; CosId 41/0/22 at 20 ns = 2.00x; UUID at 2M
        // ids/s = 50.00x
        assertThat(table)
            .containsPattern("idgen nextId\\(\\) +1 +10\\.00 .* 100,000,000 <=20ns PASS +50\\.00x +2\\.00x +10\\.00x");
        assertThat(table).contains("metrics on = test listener");
    }

    @Test
    void allGoalsPassWhenEveryFigureMeetsIt() {
        ComparisonTable table = new ComparisonTable(run(4_000_000, 10.2));

        assertThat(table.goals()).allSatisfy((goal, met) -> assertThat(met).as(goal).isTrue());
        assertThat(table.allGoalsMet()).isTrue();
    }

    @Test
    void aSlowNextIdOrAVisibleListenerFailsItsGoal() {
        ComparisonTable table = new ComparisonTable(run(3_900_000, 12));

        assertThat(table.goals()).containsEntry("nextId() 1 thread >= 97% of cap", false)
            .containsEntry("metrics overhead within noise, 1 thread", false)
            .containsEntry("metrics overhead within noise, 2 threads", true);
        assertThat(table.allGoalsMet()).isFalse();
        assertThat(table.render("x")).contains("FAIL");
    }

    @Test
    void aBenchmarkLeftOutOfTheRunIsNotMeasuredRatherThanPassed() {
        ComparisonTable table = new ComparisonTable(List.of(thrpt("CappedLayoutBenchmarks.idgenNextId", 1, 4_090_000)));

        assertThat(table.goals()).containsEntry("nextId() 1 thread >= 97% of cap", true)
            .containsEntry("nextIds(4096) >= 99% of cap", null);
        assertThat(table.allGoalsMet()).isFalse();
        assertThat(table.render("x")).contains("NOT MEASURED").containsPattern("idgen nextId\\(\\) +2 +-");
    }

}
